-- Named queries read by Orleans' ADO.NET providers at start-up.
-- The providers run "SELECT QueryKey, QueryText FROM OrleansQuery" with unquoted identifiers,
-- which PostgreSQL folds to lower case, so the table and columns are lower case here.
CREATE TABLE orleansquery (
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,
    CONSTRAINT orleansquery_pk PRIMARY KEY (querykey)
);
