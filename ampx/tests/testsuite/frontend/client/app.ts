// A frontend using the typed GraphQL documents of `generate graphql-client-code`
// (queries.ts, mutations.ts, subscriptions.ts and API.ts) with aws-amplify's
// `client.graphql`, which infers variables and results from them.
import { generateClient } from 'aws-amplify/api';
import { getPost, listPosts, postCount, postsByAuthor } from './queries';
import { createPost, publish } from './mutations';
import { onCreatePost } from './subscriptions';
import { ModelSortDirection, Status, type CreatePostInput } from './API';

const client = generateClient();

export async function documents(): Promise<void> {
  const input: CreatePostInput = { title: 'Hello', status: Status.DRAFT, authorId: 'a1', tags: ['x'] };
  const created = await client.graphql({ query: createPost, variables: { input } });
  const id: string | undefined = created.data.createPost?.id;

  const got = await client.graphql({ query: getPost, variables: { id: id ?? '' } });
  const title: string | undefined = got.data.getPost?.title;
  const status: Status | undefined = got.data.getPost?.status;
  const lat: number | undefined = got.data.getPost?.location?.lat;
  const authorName: string | undefined = got.data.getPost?.author?.name;

  const page = await client.graphql({
    query: listPosts,
    variables: { filter: { status: { eq: Status.PUBLISHED } }, limit: 10 },
  });
  const titles: string[] = page.data.listPosts?.items.map((p) => p?.title ?? '') ?? [];
  await client.graphql({
    query: postsByAuthor,
    variables: { authorId: 'a1', publishedOn: { ge: '2024-01-01' }, sortDirection: ModelSortDirection.DESC },
  });

  const count = await client.graphql({ query: postCount, variables: { status: Status.PUBLISHED } });
  const n: number = count.data.postCount;
  const published = await client.graphql({ query: publish, variables: { postId: 'p1' } });
  const publishedTitle: string | undefined = published.data.publish?.title;

  client.graphql({ query: onCreatePost }).subscribe({
    next: ({ data }) => console.log(data.onCreatePost?.title),
  });

  void [title, status, lat, authorName, titles, n, publishedTitle];
}
