/** Obviously a development token (base64 of "simulator:dev-token"), never a real tenant's. */
export const DEV_TOKEN = 'c2ltdWxhdG9yOmRldi10b2tlbg==';
