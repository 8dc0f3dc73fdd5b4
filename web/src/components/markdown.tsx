/** Markdown rendered with marked; raw HTML is shown as text and only http(s)/relative links are kept. */
import { Marked } from 'marked';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const md = new Marked({
  gfm: true,
  renderer: {
    html({ text }) { return escape(text); },
    link({ href, text }) {
      const safe = /^(https?:|\/|#|\.)/i.test(href) ? href : '#';
      return `<a href="${escape(safe)}" rel="noopener noreferrer">${escape(text)}</a>`;
    },
    image({ href, text }) {
      const safe = /^(https?:|\/)/i.test(href) ? href : '';
      return safe ? `<img src="${escape(safe)}" alt="${escape(text)}">` : escape(text);
    },
  },
});

export function Markdown({ text }: { text: string }) {
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: md.parse(text, { async: false }) }} />;
}
