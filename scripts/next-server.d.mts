export type TTrustedProxy = { family: number; bytes: number[]; prefix: number };
export const MAX_URL_BYTES: number;
export function parseTrustedProxies(text: string | undefined): TTrustedProxy[];
export function resolveClientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: TTrustedProxy[]): string;
