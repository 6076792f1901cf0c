// Wrong: AuditEntry's delete mutation is disabled.
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../blog/amplify_data_schema';

const client = generateClient<Schema>();
export const removed = client.models.AuditEntry.delete({ scope: 'billing', at: '2024-01-01T00:00:00Z' });
