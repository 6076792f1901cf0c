// Recomputes logical-id-vectors.json with the real aws-cdk-lib and constructs.
// Run by ../regenerate (which installs the pinned versions); prints the JSON.
const path = require('path');
const os = require('os');
const fs = require('fs');
const cdk = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const sns = require('aws-cdk-lib/aws-sns');
const { Construct } = require('constructs');
// makeUniqueId is private (not in the package's exports), so load its file directly.
const { makeUniqueId } = require(path.join(path.dirname(require.resolve('aws-cdk-lib')), 'core/lib/private/uniqueid.js'));

const long = 'X'.repeat(256);
const uniqueIdPaths = [
  ['Bucket', 'Resource'], ['Bucket'], ['My-Bucket_1.v2'], ['Parent', 'Default', 'Child'],
  ['Default', 'Thing'], ['Stack', 'Stack', 'Topic'], ['Resource'], [long],
  ['MyLambda', 'ServiceRole', 'Resource'], ['Default'],
];
const makeUniqueIdVectors = uniqueIdPaths.map((p) => {
  let logicalId;
  try { logicalId = makeUniqueId(p); } catch (e) { logicalId = `ERROR: ${e.message}`; }
  return { path: p, logicalId };
});

// Node addresses: the app root, a stack, a construct and its child.
const addrApp = new cdk.App();
const myStack = new cdk.Stack(addrApp, 'MyStack');
const bucket = new Construct(myStack, 'Bucket');
const resource = new Construct(bucket, 'Resource');
const nodeAddr = [
  [myStack, ['', 'MyStack']], [bucket, ['', 'MyStack', 'Bucket']],
  [resource, ['', 'MyStack', 'Bucket', 'Resource']], [addrApp, ['']],
].map(([c, scopesIds]) => ({
  path: c.node.path || '(cdk.App root)', scopesIds, addr: c.node.addr, manualCheck: true,
}));

// Construct ids with path separators are sanitized by the constructs library.
const sanitizeInput = 'a/b/c';
const sanitized = new Construct(new cdk.App(), sanitizeInput).node.id;

// Names CDK derives for nested stacks and cross-stack references: synthesize the
// two reference apps' shapes and read the names from their templates.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-vectors-'));
const app = new cdk.App({ outdir });
class Child extends cdk.NestedStack {
  constructor(scope, id, props) {
    super(scope, id, props);
    this.topicArn = new sns.Topic(this, 'Topic', { displayName: props.bucketName }).topicArn;
  }
}
const min = new cdk.Stack(app, 'MinStack');
const minBucket = new s3.Bucket(min, 'Bucket');
const child = new Child(min, 'Child', { bucketName: minBucket.bucketName });
new cdk.CfnOutput(min, 'ChildTopicArn', { value: child.topicArn });
const producer = new cdk.Stack(app, 'Producer');
const prodBucket = new s3.Bucket(producer, 'Bucket');
const consumer = new cdk.Stack(app, 'Consumer');
new sns.Topic(consumer, 'Topic', { displayName: prodBucket.bucketName });
new cdk.CfnOutput(consumer, 'Arn', { value: prodBucket.bucketArn });
const assembly = app.synth();
const template = (name) => JSON.parse(fs.readFileSync(path.join(outdir, name), 'utf8'));
const minTemplate = assembly.getStackByName('MinStack').template;
const nestedId = Object.keys(minTemplate.Resources).find((k) => minTemplate.Resources[k].Type === 'AWS::CloudFormation::Stack');
const nestedFile = fs.readdirSync(outdir).find((f) => f.endsWith('.nested.template.json'));
const nested = template(nestedFile);
const exportIds = Object.keys(assembly.getStackByName('Producer').template.Outputs);
fs.rmSync(outdir, { recursive: true });

const out = {
  source: 'computed by running aws-cdk-lib 2.276.0 makeUniqueId and constructs 10.8.1 node addresses',
  makeUniqueId: makeUniqueIdVectors,
  nodeAddr,
  sanitizeId: { input: sanitizeInput, id: sanitized },
  derivedNames: {
    nestedTemplateFile: nestedFile,
    nestedParamForRefOfMinStackBucket: Object.keys(nested.Parameters)[0],
    nestedOutputForTopicRef: Object.keys(nested.Outputs)[0],
    nestedStackResourceLogicalId: nestedId,
    exportOutputIdForRef: exportIds.find((k) => k.startsWith('ExportsOutputRef')),
    exportOutputIdForGetAtt: exportIds.find((k) => k.startsWith('ExportsOutputFnGetAtt')),
  },
};
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
