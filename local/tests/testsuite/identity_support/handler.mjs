// The test backend's functions (synthesized, never run).
export const handler = async () => null;
