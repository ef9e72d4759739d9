"""The report as PDF: `render` (WeasyPrint, fonts, the layouts kept cheap), `paging`
(where pages break), `drafts` (draft PDFs kept by the SHA-256 of what they are
made from)."""
