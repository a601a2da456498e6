-- 0018_batch_papers.sql - papers of a batch item (查看试卷, R15-R18): a theory paper uploaded as
-- xlsx through the bank importer (its questions are rows of paper_questions) and a practical paper
-- uploaded as docx (the file itself), one per set number of each part.

ALTER TABLE papers
    ADD COLUMN item_id  bigint REFERENCES batch_items(id) ON DELETE CASCADE,
    ADD COLUMN batch_id bigint REFERENCES batches(id) ON DELETE CASCADE,
    ADD COLUMN part     text CHECK (part IN ('theory', 'practical')),
    ADD COLUMN file_id  bigint REFERENCES files(id);
-- A batch paper is an upload with its item, batch and part; a scheme paper has none of them.
ALTER TABLE papers ADD CONSTRAINT papers_item_upload
    CHECK ((item_id IS NULL) = (part IS NULL) AND (item_id IS NULL) = (batch_id IS NULL)
           AND (item_id IS NULL OR source = 'upload')
           AND ((part = 'practical') = (file_id IS NOT NULL)));
-- One paper per item x part x set (R15); a replacement deletes the old one first.
CREATE UNIQUE INDEX papers_item_set ON papers (item_id, part, set_no) WHERE item_id IS NOT NULL;
CREATE INDEX papers_batch ON papers (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX papers_file ON papers (file_id) WHERE file_id IS NOT NULL;
