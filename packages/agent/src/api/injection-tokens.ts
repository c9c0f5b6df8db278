/** Tokens for values Nest cannot identify by class (without emitted decorator metadata, every injection names its token). */
export const modelCatalogToken = Symbol('ModelCatalog');
export const healthToken = Symbol('Health');
export const openApiToken = Symbol('OpenApi');
export const authorizeToken = Symbol('AuthorizeToken');
export const liveEventsToken = Symbol('LiveEvents');
export const desktopServiceToken = Symbol('DesktopService');
export const desktopViewsToken = Symbol('DesktopViews');
