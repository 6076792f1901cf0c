// The generated Schema is exactly Amplify's ClientSchema of the reference's
// TypeScript backend (amplify-gen2-chat/input/data/resource.ts).
import type { Schema as Generated } from '../chat/amplify_data_schema';
import type { Schema as WithoutName } from '../chat-without-name/amplify_data_schema';
import type { Schema as Reference } from '../reference/data/resource';

/** Exact type equality (mutual assignability is not enough: it ignores readonly, any). */
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

export type Tests = [
  Expect<Equal<Generated, Reference>>,
  // Part by part, so a failure names the part.
  Expect<Equal<Generated['Chat']['type'], Reference['Chat']['type']>>,
  Expect<Equal<Generated['Chat']['createType'], Reference['Chat']['createType']>>,
  Expect<Equal<Generated['Chat']['updateType'], Reference['Chat']['updateType']>>,
  Expect<Equal<Generated['Chat']['deleteType'], Reference['Chat']['deleteType']>>,
  Expect<Equal<Generated['Message']['type'], Reference['Message']['type']>>,
  Expect<Equal<Generated['Message']['__meta'], Reference['Message']['__meta']>>,
  // The helper tells schemas apart: the chat without Chat.name is not the reference.
  Expect<Equal<Equal<WithoutName, Reference>, false>>,
];
