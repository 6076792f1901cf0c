// Wrong: getPost's id is an ID (a string), not a number.
import { generateClient } from 'aws-amplify/api';
import { getPost } from './queries';

const client = generateClient();
export const got = client.graphql({ query: getPost, variables: { id: 7 } });
