export async function buildMails() { return []; }
