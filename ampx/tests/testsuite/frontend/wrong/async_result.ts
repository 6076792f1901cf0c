// Wrong: an async handler's mutation answers EventInvocationResponse, not what
// the function returns.
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../blog/amplify_data_schema';

const client = generateClient<Schema>();
export async function reindexed(): Promise<string | undefined> {
  const { data } = await client.mutations.reindex({ postId: 'p1' });
  return data?.title;
}
