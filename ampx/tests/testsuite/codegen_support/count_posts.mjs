// The handler of the test backends' custom operations (synthesized, never run).
export const handler = async () => 0;
