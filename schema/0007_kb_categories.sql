-- Display names of knowledge-base categories. Entries carry a slug (rabies); the console
-- shows and the night voice menu reads out the name (狂犬病防治). A slug without a row here
-- is shown as it is.
CREATE TABLE kb_categories (
  slug        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  updated_by  INTEGER NOT NULL      -- 0: the system (these defaults)
) WITHOUT ROWID;

-- The categories of config/kb/starter.json.
INSERT INTO kb_categories(slug, name, updated_at, updated_by) VALUES
  ('appointment', '预约挂号', 0, 0),
  ('chronic_disease', '慢性病防治', 0, 0),
  ('community_health', '社区卫生服务', 0, 0),
  ('complaint_report', '投诉举报', 0, 0),
  ('drinking_water', '饮用水卫生', 0, 0),
  ('environment_health', '环境卫生', 0, 0),
  ('food_safety', '食品安全', 0, 0),
  ('hiv_hepatitis', '艾滋病和病毒性肝炎', 0, 0),
  ('hospital_service', '医院服务', 0, 0),
  ('hotline_service', '热线服务', 0, 0),
  ('infectious_disease', '传染病防控', 0, 0),
  ('maternal_child', '妇幼健康', 0, 0),
  ('medical_insurance_policy', '医保政策', 0, 0),
  ('mental_health', '心理健康', 0, 0),
  ('occupational_radiation', '职业与放射卫生', 0, 0),
  ('rabies', '狂犬病防治', 0, 0),
  ('tobacco_control', '控烟', 0, 0),
  ('vaccination', '预防接种', 0, 0);
