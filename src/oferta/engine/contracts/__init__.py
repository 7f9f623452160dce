"""Registry file contracts: the columns, codes and validation of household registry extracts."""
