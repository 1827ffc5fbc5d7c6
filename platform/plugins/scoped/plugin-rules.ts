import type { ActionDefinition, ConditionDefinition, RulesApi } from '../../../sdk/rules.js';
import type { ContributionCatalog } from '../../rules/contribution-catalog.js';
import type { PluginScope } from './plugin-scope.js';

/** Conditions and actions a plugin defines; gone from the catalog when it stops. */
export class PluginRules implements RulesApi {
  constructor(
    private readonly catalog: ContributionCatalog,
    private readonly scope: PluginScope,
  ) {
    scope.onClose(() => catalog.undefinePlugin(scope.name));
  }

  condition<P>(name: string, definition: ConditionDefinition<P>): void {
    this.scope.assertOpen(`define condition ${name}`);
    this.catalog.defineCondition(this.scope.name, name, definition as ConditionDefinition<unknown>);
  }

  action<P>(name: string, definition: ActionDefinition<P>): void {
    this.scope.assertOpen(`define action ${name}`);
    this.catalog.defineAction(this.scope.name, name, definition as ActionDefinition<unknown>);
  }
}
