"""Reports from Results alone: facility and portfolio PDFs (and their HTML preview), the UCAP workbook."""
