// A frontend of the chat backend: every kind of model operation, typed by the
// generated `Schema`. `tsc --noEmit` must accept it as it is.
import { generateClient } from 'aws-amplify/data';
import type { Schema } from './amplify_data_schema';

const client = generateClient<Schema>();

type Chat = Schema['Chat']['type'];
type Message = Schema['Message']['type'];

export async function converse(): Promise<string[]> {
  // create: every field optional (none is required), the id generated.
  const { data: chat, errors } = await client.models.Chat.create({ name: 'general' });
  if (!chat) {
    throw new Error(errors?.map((e) => e.message).join(', '));
  }
  const id: string = chat.id;
  const name: string | null = chat.name;
  // Timestamps and the owner field are there to read.
  const created: string = chat.createdAt;
  const owner: string | null | undefined = chat.owner;

  const { data: message } = await client.models.Message.create({ chatId: id, text: 'hello' });
  // Relationships load lazily.
  const { data: messages } = await chat.messages();
  const texts: (string | null)[] = messages.map((m: Message) => m.text ?? null);
  if (message) {
    const { data: parent } = await message.chat();
    const parentName: string | null | undefined = parent?.name;
    void parentName;
  }

  // get, list with a filter, update, delete.
  const { data: again } = await client.models.Chat.get({ id }, { selectionSet: ['id', 'name', 'messages.*'] });
  const firstText: string | null | undefined = again?.messages[0]?.text;
  const { data: page, nextToken } = await client.models.Message.list({
    filter: { and: [{ text: { contains: 'hel' } }, { chatId: { eq: id } }] },
    limit: 20,
  });
  const next: string | null | undefined = nextToken;
  await client.models.Chat.update({ id, name: 'renamed' });
  const { data: removed } = await client.models.Message.delete({ id: page[0]?.id ?? '' });
  const removedId: string | undefined = removed?.id;

  // Subscriptions and live queries.
  const created$ = client.models.Message.onCreate({ filter: { chatId: { eq: id } } }).subscribe({
    next: (m: Message) => console.log(m.text),
  });
  created$.unsubscribe();
  const live = client.models.Chat.observeQuery({ filter: { name: { beginsWith: 'gen' } } }).subscribe({
    next: ({ items, isSynced }) => console.log(items.map((c: Chat) => c.name), isSynced),
  });
  live.unsubscribe();
  client.models.Chat.onUpdate().subscribe({ next: (c) => console.log(c.updatedAt) });
  client.models.Chat.onDelete().subscribe({ next: (c) => console.log(c.id) });

  void [name, created, owner, firstText, next, removedId];
  return texts.filter((t): t is string => t !== null);
}
