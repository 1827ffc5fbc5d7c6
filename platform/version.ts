export const PLATFORM_API_VERSION = '1.0.0';
