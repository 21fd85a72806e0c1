NOT (i IN (1, 2, NULL)) OR `name` <> 'it''s' OR dec >= -12.50 OR loc.lat < 1e3
