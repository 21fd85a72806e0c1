id > 3 AND (name = 'x' OR name IS NULL)
