// The project's own Redocly plugin (id `house`): lint rules for the contract's house rules
// (see /work/shared/design/contract-decisions.md D4, D5, D7 and the contract brief).
// Enabled from redocly.yaml as `house/<rule>: error`. Each rule sits in rules/<rule>.js.
// Limits: the rules look at operations under `paths` only; webhooks describe the receiver's
// side and are covered by Redocly's built-in rules.
import AuthSharedErrors from './rules/auth-shared-errors.js';
import ErrorEnvelope from './rules/error-envelope.js';
import OperationBasics from './rules/operation-basics.js';
import RateLimitHeaders from './rules/rate-limit-headers.js';
import RequestIdHeader from './rules/request-id-header.js';
import SuccessExample from './rules/success-example.js';

export const houseRules = {
  'auth-shared-errors': AuthSharedErrors,
  'request-id-header': RequestIdHeader,
  'rate-limit-headers': RateLimitHeaders,
  'error-envelope': ErrorEnvelope,
  'operation-basics': OperationBasics,
  'success-example': SuccessExample,
};

export default function housePlugin() {
  return {
    id: 'house',
    rules: {
      oas3: houseRules,
    },
  };
}
