export { ChildService, type ChildServiceOptions } from './child-service.ts';
export { scriptService } from './script-service.ts';
