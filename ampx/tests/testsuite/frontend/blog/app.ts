// A frontend of the blog backend (tests/codegen_support/backends.rs): enums,
// custom types, custom keys, hasOne, secondary indexes, disabled operations and
// custom operations, typed by the generated `Schema`.
import { generateClient } from 'aws-amplify/data';
import type { Schema } from './amplify_data_schema';

const client = generateClient<Schema>();

type Post = Schema['Post']['type'];
type Status = Schema['Status']['type'];
type Location = Schema['Location']['type'];

export async function blog(): Promise<void> {
  const { data: author } = await client.models.Author.create({ name: 'Ada', email: 'ada@example.com' });
  if (!author) return;
  // hasOne, with a custom primary key on the other side.
  await client.models.Profile.create({ authorId: author.id, bio: 'Writes.', website: 'https://example.com' });
  const { data: profile } = await author.profile();
  const bio: string | null | undefined = profile?.bio;
  const { data: same } = await client.models.Profile.get({ authorId: author.id });
  const { data: byAuthor } = await (same ? same.author() : Promise.resolve({ data: null }));

  // Every kind of field.
  const status: Status = 'DRAFT';
  const location: Location = { lat: 52.5, lng: 13.4 };
  const { data: post } = await client.models.Post.create({
    title: 'Hello',
    status,
    authorId: author.id,
    tags: ['intro', 'news'],
    location,
    views: 0,
    rating: 4.5,
    featured: true,
    publishedOn: '2024-05-01',
    metadata: JSON.stringify({ source: 'import' }),
    editors: ['bob'],
  });
  if (!post) return;
  const title: string = post.title;
  const postStatus: 'DRAFT' | 'PUBLISHED' | 'ARCHIVED' | null = post.status;
  const tags: (string)[] | null = post.tags;
  const lat: number | undefined = post.location?.lat;
  const owner: string | null | undefined = post.owner;
  const editors: (string | null)[] | null = post.editors;
  const { data: posts } = await author.posts();
  const titles: string[] = posts.map((p: Post) => p.title);

  // Update, filters, secondary indexes.
  await client.models.Post.update({ id: post.id, status: 'PUBLISHED', views: 1 });
  await client.models.Post.list({
    filter: { status: { eq: 'PUBLISHED' }, views: { gt: 10 }, title: { beginsWith: 'He' } },
  });
  const { data: recent } = await client.models.Post.postsByAuthor(
    { authorId: author.id, publishedOn: { ge: '2024-01-01' } },
    { sortDirection: 'DESC', limit: 5 },
  );
  await client.models.Post.listPostByStatus({ status: 'DRAFT' });
  await client.models.Post.delete({ id: post.id });

  // A composite primary key: partition and sort key in every call.
  const { data: entry } = await client.models.AuditEntry.create({ scope: 'billing', at: '2024-05-01T10:00:00Z', seconds: 1714557600 });
  await client.models.AuditEntry.get({ scope: 'billing', at: '2024-05-01T10:00:00Z' });
  await client.models.AuditEntry.list({ scope: 'billing', at: { beginsWith: '2024-05' }, sortDirection: 'ASC' });
  const note: string | null | undefined = entry?.note;

  // Custom operations.
  const { data: count } = await client.queries.postCount({ status: 'PUBLISHED', authorId: author.id });
  const n: number | null | undefined = count;
  // An async handler answers whether Lambda accepted the event.
  const { data: queued } = await client.mutations.reindex({ postId: post.id });
  const accepted: boolean | undefined = queued?.success;
  const { data: published } = await client.mutations.publish({ postId: post.id, at: '2024-05-01T10:00:00Z' });
  const publishedTitle: string | undefined = published?.title;
  client.subscriptions.published().subscribe({ next: (p) => console.log(p?.title) });
  client.subscriptions.postChanges().subscribe({ next: (p) => console.log(p?.status) });
  client.models.Post.onCreate().subscribe({ next: (p: Post) => console.log(p.title) });

  void [bio, byAuthor, title, postStatus, tags, lat, owner, editors, titles, recent, note, n, accepted, publishedTitle];
}
