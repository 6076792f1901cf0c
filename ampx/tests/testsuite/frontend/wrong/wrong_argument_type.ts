// Wrong: postCount's authorId is an ID (a string), not a number.
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../blog/amplify_data_schema';

const client = generateClient<Schema>();
export const count = client.queries.postCount({ status: 'PUBLISHED', authorId: 42 });
