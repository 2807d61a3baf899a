// plugin.license: a pragmatic SPDX license-expression check, no license list bundled.

const SPDX_ID = /^(?:DocumentRef-[A-Za-z0-9.-]+:)?(?:LicenseRef-)?[A-Za-z0-9][A-Za-z0-9.-]*\+?$/;
const OPERATORS = ['AND', 'OR', 'WITH'];

/** Identifiers joined by AND/OR, an optional WITH exception, parentheses. */
export function isSpdxExpression(text: string): boolean {
  const tokens = text.replace(/[()]/g, ' $& ').trim().split(/\s+/);
  let depth = 0;
  let wantOperand = true;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token === '(' && wantOperand) depth++;
    else if (token === ')' && !wantOperand) depth--;
    else if ((token === 'AND' || token === 'OR') && !wantOperand) wantOperand = true;
    else if (token === 'WITH' && !wantOperand && tokens[i - 1] !== ')') i++;
    else if (wantOperand && !OPERATORS.includes(token) && SPDX_ID.test(token)) wantOperand = false;
    else return false;
    if (depth < 0 || (token === 'WITH' && !SPDX_ID.test(tokens[i] ?? ''))) return false;
  }
  return depth === 0 && !wantOperand;
}
