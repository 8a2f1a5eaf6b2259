import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ImageFigure } from './ImageFigure.tsx';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

/** The figure's markup, parsed back into its parts with a regular expression per element. */
function render(props: Parameters<typeof ImageFigure>[0]) {
  const html = renderToStaticMarkup(createElement(ImageFigure, props));
  const attributes = (tag: string) => {
    const element = html.match(new RegExp(`<${tag}( [^>]*)?>`))?.[1] ?? null;
    if (element === null) return null;
    return Object.fromEntries([...element.matchAll(/ ([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  };
  return {
    html,
    figure: attributes('figure'),
    img: attributes('img'),
    caption: attributes('figcaption'),
    captionText: html.match(/<figcaption[^>]*>(.*)<\/figcaption>/)?.[1],
  };
}

describe('ImageFigure', () => {
  it('shows the image at its size above the caption, with the test ids it is given', () => {
    const r = render({
      src: PNG,
      alt: 'The answer',
      size: 84,
      testId: 'f',
      imageTestId: 'i',
      captionTestId: 'c',
      children: 'caption text',
    });
    expect(r.figure).toEqual({ class: 'stack', style: 'margin:0', 'data-testid': 'f' });
    expect(r.img).toEqual({
      class: 'pixelated',
      src: PNG,
      alt: 'The answer',
      width: '84',
      height: '84',
      'data-testid': 'i',
    });
    expect(r.caption).toEqual({ class: 'small muted', 'data-testid': 'c' });
    expect(r.captionText).toBe('caption text');
    expect(r.html.indexOf('<img')).toBeLessThan(r.html.indexOf('<figcaption'));
  });

  it('is 112 px square by default and has no test ids unless asked', () => {
    const r = render({ src: PNG, alt: 'x', children: 'y' });
    expect(r.img).toMatchObject({ width: '112', height: '112' });
    expect(r.img?.['data-testid']).toBeUndefined();
    expect(r.figure?.['data-testid']).toBeUndefined();
    expect(r.caption?.['data-testid']).toBeUndefined();
  });

  it('shows only the caption while there is no image', () => {
    for (const src of [null, undefined, '']) {
      const r = render({ src, alt: 'x', imageTestId: 'i', children: 'waiting' });
      expect(r.img).toBeNull();
      expect(r.captionText).toBe('waiting');
    }
  });
});
