/** A number as the dashboard shows it, to 4 significant digits (formatNumber), read back as a number. */
export const shown = (v: number) => Number(v.toPrecision(4));
