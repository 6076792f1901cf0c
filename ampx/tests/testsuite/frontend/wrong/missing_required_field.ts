// Wrong: a Post needs a title (and a status and an author).
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../blog/amplify_data_schema';

const client = generateClient<Schema>();
export const created = client.models.Post.create({ status: 'DRAFT', authorId: 'a1' });
