import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PeRegisterStack } from './stack';
import { WafStack } from './waf-stack';

const app = new App();

// Explicit regions, as cross-region references need: the app in context `region` (else the
// caller's default region, else eu-west-1), its WAF web ACL in us-east-1 (CloudFront's). The
// account stays the caller's (unset offline: synth needs no AWS account).
const account = process.env.CDK_DEFAULT_ACCOUNT;
const contextRegion: unknown = app.node.tryGetContext('region');
const region = (typeof contextRegion === 'string' && contextRegion) || process.env.CDK_DEFAULT_REGION || 'eu-west-1';

const waf = new WafStack(app, 'PeRegisterWaf', { env: { account, region: 'us-east-1' }, crossRegionReferences: true });
new PeRegisterStack(app, 'PeRegister', { env: { account, region }, crossRegionReferences: true, webAclArn: waf.webAclArn });

// cdk-nag 3 is a validation plugin: unacknowledged findings fail `cdk synth` itself.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

app.synth();
