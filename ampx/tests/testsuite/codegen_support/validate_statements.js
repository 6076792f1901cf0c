// Validates GraphQL documents against an AppSync schema with graphql-js, declaring
// what AppSync provides (its scalars and directives). Prints one line per error
// ("file: message"); prints nothing when every document is valid.
//
// Usage: node validate_statements.js schema.graphql doc.graphql...
'use strict';

const fs = require('fs');
const { buildSchema, parse, validate } = require('graphql');

const APPSYNC = `
scalar AWSDate
scalar AWSTime
scalar AWSDateTime
scalar AWSTimestamp
scalar AWSEmail
scalar AWSJSON
scalar AWSPhone
scalar AWSURL
scalar AWSIPAddress
directive @aws_subscribe(mutations: [String!]!) on FIELD_DEFINITION
directive @aws_auth(cognito_groups: [String!]!) on FIELD_DEFINITION
directive @aws_api_key on FIELD_DEFINITION | OBJECT
directive @aws_iam on FIELD_DEFINITION | OBJECT
directive @aws_oidc on FIELD_DEFINITION | OBJECT
directive @aws_lambda on FIELD_DEFINITION | OBJECT
directive @aws_cognito_user_pools(cognito_groups: [String!]) on FIELD_DEFINITION | OBJECT
directive @aws_publish(subscriptions: [String!]!) on FIELD_DEFINITION
`;

const [schemaFile, ...documents] = process.argv.slice(2);
const schema = buildSchema(APPSYNC + fs.readFileSync(schemaFile, 'utf8'));
for (const file of documents) {
  let document;
  try {
    document = parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`${file}: ${e.message}`);
    continue;
  }
  for (const error of validate(schema, document)) {
    console.log(`${file}: ${error.message}`);
  }
}
