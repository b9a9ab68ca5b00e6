-- Typeahead on names stays fast however common the name: a prefix walks a btree in order and
-- stops after a handful, where the word index must gather every "john" before it can stop.
CREATE INDEX contacts_first_last ON contacts (organization_id, (lower(first_name) COLLATE "C"), (lower(last_name) COLLATE "C"))
  WHERE deleted_at IS NULL AND merged_into IS NULL;
CREATE INDEX contacts_last_first ON contacts (organization_id, (lower(last_name) COLLATE "C"), (lower(first_name) COLLATE "C"))
  WHERE deleted_at IS NULL AND merged_into IS NULL;

-- Splitting a record into words costs real work per row: tell the planner, so it reaches for the
-- word index instead of filtering a million rows through the function behind a LIMIT.
ALTER FUNCTION cerebro_search_words(text[]) COST 5000;
