// Wrong: `title` is not a field of Chat.
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../chat/amplify_data_schema';

const client = generateClient<Schema>();
export const created = client.models.Chat.create({ name: 'general', title: 'General' });
