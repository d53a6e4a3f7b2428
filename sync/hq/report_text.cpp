// sync/hq/report_text.cpp — see report_text.h. One table, English beside Chinese, so a missing
// translation is visible on review.
#include "report_text.h"

#include <map>
#include <utility>

namespace kiosk::hq::report_text {
namespace {

struct Words {
  const char* en;
  const char* zh;
};

const std::map<std::string, Words>& words() {
  static const std::map<std::string, Words> w = {
      // The page.
      {"title", {"Yearly evaluation report", "年度评估报告"}},
      {"all_countries", {"all countries", "所有国家"}},
      {"made", {"Made {at} (UTC) from library {id} at {path}. The SQL behind every table is in "
                "queries.sql; every table is also a CSV file and a sheet of report.xlsx.",
                "本报告于 {at}（UTC）根据资料库 {id}（{path}）生成。每个表格背后的 SQL 查询见 "
                "queries.sql；每个表格另有 CSV 文件，并是 report.xlsx 中的一个工作表。"}},
      {"options", {"Year {year} · country: {country} · targets: {people} people, {orgs} organizations",
                   "年份 {year} · 国家：{country} · 目标：{people} 人，{orgs} 个机构"}},
      {"no_data", {"No events in {year} ({country}) in this library: every table of participants "
                   "below is empty. The libraries' own figures are still shown.",
                   "本资料库中没有 {year} 年（{country}）的活动：以下所有参与者表格均为空。"
                   "资料库本身的数字仍照常显示。"}},
      {"empty", {"No rows.", "无数据。"}},
      {"card_people", {"people in the library (target {target})", "资料库中的人员（目标 {target}）"}},
      {"card_orgs", {"organizations in the library (target {target})", "资料库中的机构（目标 {target}）"}},
      {"card_participants", {"participants in {year}", "{year} 年参与者"}},
      {"card_female", {"girls and women among them", "其中女童和女性所占比例"}},
      {"chart_people", {"People in the library", "资料库中的人员"}},
      {"chart_orgs", {"Organizations in the library", "资料库中的机构"}},
      {"target", {"target", "目标"}},
      {"definitions_title", {"Definitions", "定义"}},
      {"def_people", {"People are canonical persons: kiosk records of one person, merged exactly or "
                      "after review, count once. A person's gender, role, birth and organization "
                      "are those of their most recently updated record; voided records count nowhere.",
                      "人员指规范化后的个人：同一人的多条展台记录（自动精确合并或经审核合并）只计一次。"
                      "性别、身份、出生日期和所属机构取其最近更新的记录；已作废的记录不计入任何统计。"}},
      {"def_year", {"A participant attended an event that starts in the year (in the country, when "
                    "one is chosen). Yearly tables count each person once, as at their first event "
                    "of the year; age is in whole years at that event's start date.",
                    "参与者指参加了当年开始（如已选择国家，则在该国举办）的活动的人。年度表格中每人只计一次，"
                    "以其当年参加的第一个活动为准；年龄按该活动开始日期时的周岁计算。"}},
      {"def_returning", {"Returning: the person attended an event in an earlier year (any country). "
                         "New: every other participant of the year.",
                         "回访参与者：在往年（任何国家）参加过活动的人。新参与者：当年的其他参与者。"}},
      {"def_growth", {"Library growth covers the whole library, whatever the country: a person or "
                      "organization counts from the month of their first kiosk registration.",
                      "资料库增长统计涵盖整个资料库，不按国家筛选：人员或机构从其首次在展台登记的月份起计入。"}},
      {"participants_label", {"participants", "参与者"}},
      // Tables.
      {"library_growth", {"People and organizations in the libraries, by month", "资料库中的人员和机构（按月）"}},
      {"participants_by_country", {"Participants by country", "按国家统计的参与者"}},
      {"participants_by_tour_stop", {"Participants by tour stop", "按巡展站点统计的参与者"}},
      {"participants_by_event", {"Participants by event", "按活动统计的参与者"}},
      {"participants_by_role", {"Participants by role", "按身份统计的参与者"}},
      {"participants_by_gender", {"Participants by gender", "按性别统计的参与者"}},
      {"participants_by_age_band", {"Participants by age band", "按年龄段统计的参与者"}},
      {"girls_and_women", {"Share of girls and women", "女童和女性所占比例"}},
      {"new_and_returning", {"New and returning participants", "新参与者与回访参与者"}},
      {"organizations_by_kind_and_country", {"Organizations by kind and country", "按类型和国家统计的机构"}},
      {"exhibit_engagement", {"Exhibit engagement by language", "按语言统计的展品互动"}},
      {"data_quality", {"Data quality", "数据质量"}},
      {"event_summary", {"Event summaries", "活动概要"}},
      // Notes under tables.
      {"note_library_growth", {"The whole library, not filtered by country; merged records count once.",
                               "整个资料库，不按国家筛选；合并后的记录只计一次。"}},
      {"note_year_person", {"Each participant once, as at their first event of the year.",
                            "每位参与者只计一次，以其当年参加的第一个活动为准。"}},
      {"note_exhibit_engagement", {"From the kiosks' anonymous exhibit statistics (counted per day, "
                                   "exhibit and language, never per person), sent with each kiosk's records. "
                                   "Empty until a kiosk has sent them.",
                                   "来自展台的匿名展品统计（按日期、展品和语言计数，从不按个人），随各展台的记录一同发送。"
                                   "在展台发送之前此表为空。"}},
      {"note_data_quality", {"The whole library at the time the report was made.", "报告生成时的整个资料库。"}},
      {"note_organizations", {"The whole organization library; merged organizations count once.",
                              "整个机构资料库；合并后的机构只计一次。"}},
      // Columns.
      {"month", {"Month", "月份"}},
      {"new_people", {"New people", "新增人员"}},
      {"people", {"People", "人员累计"}},
      {"target_people", {"Target", "人员目标"}},
      {"new_organizations", {"New organizations", "新增机构"}},
      {"organizations", {"Organizations", "机构"}},
      {"target_organizations", {"Target", "机构目标"}},
      {"country", {"Country", "国家"}},
      {"events", {"Events", "活动数"}},
      {"participants", {"Participants", "参与者"}},
      {"participations", {"Participations", "参与人次"}},
      {"tour", {"Tour", "巡展"}},
      {"city", {"City", "城市"}},
      {"start_date", {"Start date", "开始日期"}},
      {"event", {"Event", "活动"}},
      {"students", {"Students", "学生"}},
      {"teachers", {"Teachers", "教师"}},
      {"female", {"Female", "女性"}},
      {"role", {"Role", "身份"}},
      {"percent", {"%", "%"}},
      {"gender", {"Gender", "性别"}},
      {"age_band", {"Age band", "年龄段"}},
      {"percent_female", {"% female", "女性占比 %"}},
      {"kind", {"Kind", "类型"}},
      {"language", {"Language", "语言"}},
      {"opens", {"Opens", "打开次数"}},
      {"dwell_seconds", {"Dwell time (s)", "停留时间（秒）"}},
      {"quiz_success_percent", {"Quiz success %", "测验正确率 %"}},
      {"check_name", {"Check", "检查项"}},
      {"value", {"Count", "数量"}},
      {"dimension", {"Breakdown", "分类方式"}},
      {"category", {"Category", "类别"}},
      // Codes.
      {"v_female", {"female", "女"}},
      {"v_male", {"male", "男"}},
      {"v_other", {"other", "其他"}},
      {"v_unspecified", {"unspecified", "未说明"}},
      {"v_student", {"student", "学生"}},
      {"v_teacher", {"teacher", "教师"}},
      {"v_under_10", {"under 10", "10 岁以下"}},
      {"v_10_12", {"10–12", "10–12 岁"}},
      {"v_13_15", {"13–15", "13–15 岁"}},
      {"v_16_17", {"16–17", "16–17 岁"}},
      {"v_18_plus", {"18 and over", "18 岁及以上"}},
      {"v_new", {"new", "新参与者"}},
      {"v_returning", {"returning", "回访参与者"}},
      {"v_all", {"all", "全部"}},
      {"v_school", {"school", "学校"}},
      {"v_university", {"university", "大学"}},
      {"v_society", {"society", "学会"}},
      {"v_ngo", {"NGO", "非政府组织"}},
      {"v_government", {"government", "政府机构"}},
      {"v_company", {"company", "企业"}},
      {"v_participants", {"Participants", "参与者"}},
      {"v_gender", {"Gender", "性别"}},
      {"v_role", {"Role", "身份"}},
      {"v_age_band", {"Age band", "年龄段"}},
      {"v_organization", {"Top organizations", "主要机构"}},
      {"no_organization", {"no organization", "无所属机构"}},
      {"v_pending_person_merges", {"Person merges awaiting review", "待审核的人员合并"}},
      {"v_pending_organization_merges", {"Organization merges awaiting review", "待审核的机构合并"}},
      {"v_people_without_birth_date", {"People with a birth year only", "仅有出生年份的人员"}},
      {"v_people_gender_unspecified", {"People whose gender is unspecified", "性别未说明的人员"}},
      {"v_people_without_organization", {"People without an organization", "没有所属机构的人员"}},
      {"v_organizations_without_country", {"Organizations without a country", "没有国家信息的机构"}},
      {"v_devices_with_gaps", {"Kiosks with missing records (gaps)", "记录有缺口的展台"}},
      {"v_devices_never_sent", {"Kiosks enrolled that never sent", "已注册但从未发送数据的展台"}},
  };
  return w;
}

}  // namespace

std::string label(const std::string& lang, const std::string& key) {
  const auto& w = words();
  const auto it = w.find(key);
  if (it == w.end()) return key;
  return lang == "zh" ? it->second.zh : it->second.en;
}

std::string cell(const std::string& lang, const std::string& column, const std::string& text) {
  static const char* kCoded[] = {"gender", "role", "age_band", "kind", "check_name", "dimension",
                                 "country"};
  for (const char* c : kCoded)
    if (column == c) {
      const std::string l = label(lang, "v_" + text);
      return l == "v_" + text ? text : l;
    }
  return text;
}

std::string fill(std::string pattern,
                 std::initializer_list<std::pair<const char*, std::string>> values) {
  for (const auto& [name, value] : values) {
    const std::string key = std::string("{") + name + "}";
    for (auto at = pattern.find(key); at != std::string::npos; at = pattern.find(key, at + value.size()))
      pattern.replace(at, key.size(), value);
  }
  return pattern;
}

}  // namespace kiosk::hq::report_text
