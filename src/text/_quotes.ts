/** Quote normalisation for Chinese text. */

/**
 * Turn straight double quotes into Chinese curly pairs: the 1st, 3rd, ... `"` of the text
 * become “ and the 2nd, 4th, ... become ”.
 */
export function pairChineseQuotes(text: string): string {
  let open = true;
  return text.replace(/"/g, () => {
    const quote = open ? "“" : "”";
    open = !open;
    return quote;
  });
}
