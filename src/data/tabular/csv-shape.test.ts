import { describe, expect, it } from 'vitest';
import { CsvShapeScanner } from './csv-shape.js';

const scan = (text: string, chunk = 3, delimiter = ','): ReturnType<CsvShapeScanner['end']> => {
  const s = new CsvShapeScanner(delimiter);
  for (let i = 0; i < text.length; i += chunk) if (s.push(text.slice(i, i + chunk))) break;
  return s.end();
};

describe('CsvShapeScanner', () => {
  it('accepts a regular file, quoted delimiters and newlines included', () => {
    expect(scan('a,b,c\n1,"x,y",3\n2,"multi\nline ""q""",4\n')).toBeNull();
    expect(scan('a,b\r\n1,2\r\n3,4')).toBeNull();
  });
  it('names the line, the expected and the found field counts', () => {
    expect(scan('a,b,c\n1,2,3\n4,5\n6,7,8\n')).toEqual({ line: 3, expected: 3, found: 2, text: '4,5' });
    expect(scan('a,b\n"x\ny",2\n1,2,3\n', 1)).toMatchObject({ line: 4, expected: 2, found: 3 });
    expect(scan('a\tb\n1\t2\t3', 4, '\t')).toMatchObject({ line: 2, found: 3 });
  });
  it('ignores blank lines and a missing final newline', () => {
    expect(scan('a,b\n\n1,2\n\n')).toBeNull();
    expect(scan('a,b\n1,2\n3')).toMatchObject({ line: 3, found: 1 });
  });
});
