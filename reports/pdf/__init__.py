"""The report as PDF: `render` (WeasyPrint, fonts, one layout), `paging` (where pages
break and what each page repeats, decided in that layout), `thai_breaks` (lines break at
the edges of kept-whole compounds), `drafts` (draft PDFs kept by the SHA-256 of what they are
made from)."""
