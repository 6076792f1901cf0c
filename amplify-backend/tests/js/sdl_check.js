// Parses and validates AppSync SDL with graphql-js, declaring what AppSync provides
// (its scalars and directives), and prints a normalized description of the schema:
// every named type with its kind, directives, fields, arguments and types, so a test
// can compare two schemas regardless of order.
//
// Usage: node sdl_check.js schema.graphql > description.json
// Exits 1 with the validation errors when the schema is invalid.
'use strict';

const fs = require('fs');
const { buildASTSchema, parse, validateSchema, print, isObjectType, isInputObjectType, isEnumType } = require('graphql');

// What AppSync declares implicitly.
const APPSYNC_PRELUDE = `
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

const directives = (node) => (node?.directives ?? []).map((d) => print(d)).sort();

function describe(schema) {
  const out = {};
  for (const [name, type] of Object.entries(schema.getTypeMap())) {
    if (name.startsWith('__') || APPSYNC_PRELUDE.includes(`scalar ${name}\n`)) continue;
    if (['String', 'Int', 'Float', 'Boolean', 'ID'].includes(name)) continue;
    if (isEnumType(type)) {
      out[name] = { kind: 'enum', values: type.getValues().map((v) => v.name).sort() };
    } else if (isObjectType(type) || isInputObjectType(type)) {
      const fields = {};
      for (const [fname, f] of Object.entries(type.getFields())) {
        const args = {};
        for (const a of f.args ?? []) args[a.name] = String(a.type);
        fields[fname] = { type: String(f.type), args, directives: directives(f.astNode) };
      }
      out[name] = { kind: isObjectType(type) ? 'type' : 'input', directives: directives(type.astNode), fields };
    }
  }
  return out;
}

const sdl = fs.readFileSync(process.argv[2], 'utf8');
const schema = buildASTSchema(parse(APPSYNC_PRELUDE + sdl));
const errors = validateSchema(schema);
if (errors.length > 0) {
  process.stderr.write(errors.map((e) => e.message).join('\n') + '\n');
  process.exit(1);
}
process.stdout.write(JSON.stringify(describe(schema)));
