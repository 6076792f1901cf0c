// Wrong: DELETED is not a Status.
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../blog/amplify_data_schema';

const client = generateClient<Schema>();
export const created = client.models.Post.create({ title: 'Hi', status: 'DELETED', authorId: 'a1' });
