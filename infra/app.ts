import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PeRegisterStack } from './stack';

const app = new App();

// Environment-agnostic on purpose: synth runs offline, without an AWS account; `cdk deploy`
// takes account and region from the caller's credentials.
new PeRegisterStack(app, 'PeRegister');

// cdk-nag 3 is a validation plugin: unacknowledged findings fail `cdk synth` itself.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

app.synth();
