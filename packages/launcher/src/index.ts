export { ChildService, type ChildServiceOptions } from './child-service.ts';
