"""Director's reports: national, departmental and municipal reports as PDF and XLSX."""
