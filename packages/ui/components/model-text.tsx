import Markdown, { type Components } from 'react-markdown';

/**
 * Links leave the UI in a new tab, without the page's referrer or a handle on this window. Pictures are
 * dropped: a model's text has no business loading images from elsewhere (the CSP would refuse them anyway).
 */
const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
};

/**
 * The model's words as Markdown. Raw HTML in them is not rendered (skipHtml), and react-markdown's
 * default URL check leaves only http(s), mailto and relative links: a model that read a hostile page
 * cannot put script or markup into the UI. No eval is involved, so the CSP needs no 'unsafe-eval'.
 */
export function ModelText({ text }: { text: string }) {
  return (
    <div className="model-text">
      <Markdown skipHtml components={components} disallowedElements={['img']} unwrapDisallowed>
        {text}
      </Markdown>
    </div>
  );
}
