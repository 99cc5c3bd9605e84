export const probe: string = 'second edit';
