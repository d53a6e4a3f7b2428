// sync/hq/web_text.cpp — the web pages' words (English and Chinese), their templates and their
// stylesheet (web.h). Templates are kainjow mustache: {{x}} is escaped, {{{x}}} only ever
// receives HTML these files or web.cpp made from escaped parts.
#include "web_text.h"

#include <map>

namespace kiosk::hq::web {

namespace {

struct Entry {
  const char* en;
  const char* zh;
};

const std::map<std::string, Entry>& words() {
  static const std::map<std::string, Entry> w = {
      {"app", {"Roadshow headquarters", "巡展总部"}},
      {"nav.home", {"Overview", "概览"}},
      {"nav.persons", {"Talent library", "人才库"}},
      {"nav.organizations", {"Organizations", "机构库"}},
      {"nav.merges", {"Review queue", "待审合并"}},
      {"nav.history", {"Merge history", "合并记录"}},
      {"nav.devices", {"Kiosks", "展台设备"}},
      {"nav.events", {"Events", "活动"}},
      {"nav.report", {"Yearly report", "年度报告"}},
      {"nav.accounts", {"Accounts", "账户"}},
      {"sign_out", {"Sign out", "退出"}},
      {"signed_in_as", {"Signed in as", "当前用户"}},
      {"login.title", {"Sign in", "登录"}},
      {"login.name", {"Name", "用户名"}},
      {"login.password", {"Password", "密码"}},
      {"login.submit", {"Sign in", "登录"}},
      {"login.wrong", {"Wrong name or password.", "用户名或密码错误。"}},
      {"login.expired", {"Please sign in again.", "请重新登录。"}},
      {"home.title", {"Overview", "概览"}},
      {"home.persons", {"people in the talent library", "人才库人数"}},
      {"home.organizations", {"organizations", "机构数"}},
      {"home.open_merges", {"possible duplicates to review", "待审核的疑似重复"}},
      {"home.devices", {"kiosks", "展台设备"}},
      {"home.silent", {"kiosks silent for a week or more", "一周以上未上传的展台"}},
      {"home.events", {"events", "活动"}},
      {"search", {"Search", "搜索"}},
      {"search.placeholder", {"Name in any script", "任意文字的姓名"}},
      {"filter.all", {"all", "全部"}},
      {"filter.role", {"Role", "身份"}},
      {"filter.gender", {"Gender", "性别"}},
      {"results", {"results", "条结果"}},
      {"none", {"Nothing here yet.", "暂无内容。"}},
      {"page.prev", {"Previous", "上一页"}},
      {"page.next", {"Next", "下一页"}},
      {"persons.title", {"Talent library", "人才库"}},
      {"person.title", {"Person", "人员"}},
      {"person.sources", {"Kiosk records (sources)", "展台记录（来源）"}},
      {"person.history", {"Merges", "合并记录"}},
      {"record.fields", {"Fields, each with the kiosk record it came from", "各字段及其来源的展台记录"}},
      {"record.participations", {"Participations (per event and activity)", "参与情况（按活动和项目）"}},
      {"record.consents", {"Consents (what the guardian was shown and signed)", "同意书（监护人所见并签署的内容）"}},
      {"person.missing", {"No such person.", "找不到该人员。"}},
      {"organizations.title", {"Organization library", "机构库"}},
      {"organization.title", {"Organization", "机构"}},
      {"organization.sources", {"Kiosk records (sources)", "展台记录（来源）"}},
      {"organization.missing", {"No such organization.", "找不到该机构。"}},
      {"merges.title", {"Review queue", "待审合并"}},
      {"merges.state", {"Show", "显示"}},
      {"merge.title", {"Possible duplicate", "疑似重复"}},
      {"merge.evidence", {"The evidence side by side", "证据对照"}},
      {"merge.accept", {"Same person: merge", "同一人：合并"}},
      {"merge.reject", {"Different people", "不同的人"}},
      {"merge.editor_only", {"Editors and admins decide merges.", "合并需由编辑或管理员决定。"}},
      {"merge.accepted", {"Merged. It can be undone from the merge history.", "已合并，可在合并记录中撤销。"}},
      {"merge.rejected", {"Marked as different people.", "已标记为不同的人。"}},
      {"history.title", {"Merge history", "合并记录"}},
      {"history.undo", {"Undo", "撤销"}},
      {"history.undone", {"Undone: both records are separate again.", "已撤销：两条记录重新分开。"}},
      {"devices.title", {"Kiosks", "展台设备"}},
      {"devices.gaps", {"Missing records (gaps)", "缺失的记录（断档）"}},
      {"devices.silent", {"Silent for a week or more", "一周以上未上传"}},
      {"events.title", {"Events", "活动"}},
      {"accounts.title", {"Accounts", "账户"}},
      {"accounts.add", {"Add an account", "添加账户"}},
      {"accounts.role", {"Role", "角色"}},
      {"accounts.save", {"Add", "添加"}},
      {"accounts.make", {"Make", "设为"}},
      {"accounts.deactivate", {"Deactivate", "停用"}},
      {"accounts.activate", {"Activate", "启用"}},
      {"accounts.saved", {"Saved.", "已保存。"}},
      {"report.title", {"Yearly report", "年度报告"}},
      {"report.year", {"Year", "年份"}},
      {"report.country", {"Country (optional, e.g. KH)", "国家（可选，如 KH）"}},
      {"report.lang", {"Language", "语言"}},
      {"report.make", {"Make the report", "生成报告"}},
      {"report.format", {"As", "格式"}},
      {"report.format.html", {"a page to read and print", "可阅读、打印的网页"}},
      {"report.format.sql", {"the queries behind each table", "各表的查询语句"}},
      {"error.forbidden", {"You may not do that with your role.", "您的角色无权执行此操作。"}},
      {"error.csrf", {"This form has expired. Reload the page and try again; nothing was changed.",
                      "表单已失效，请刷新页面后重试；未作任何更改。"}},
      {"error.not_found", {"There is no such page.", "页面不存在。"}},
      {"error.failed", {"Not done", "未完成"}},
      {"role.viewer", {"viewer", "查看者"}},
      {"role.editor", {"editor", "编辑"}},
      {"role.admin", {"admin", "管理员"}},
      // Column names of the library's tables.
      {"col.person", {"Person", "人员"}},
      {"col.organization", {"Organization", "机构"}},
      {"col.source", {"Kiosk record", "展台记录"}},
      {"col.given_name", {"Given name", "名"}},
      {"col.family_name", {"Family name", "姓"}},
      {"col.given_name_latin", {"Given name (Latin)", "名（拉丁字母）"}},
      {"col.family_name_latin", {"Family name (Latin)", "姓（拉丁字母）"}},
      {"col.birth", {"Birth", "出生"}},
      {"col.gender", {"Gender", "性别"}},
      {"col.role", {"Role", "身份"}},
      {"col.sources", {"Sources", "来源数"}},
      {"col.updated", {"Updated", "更新时间"}},
      {"col.updated_at", {"Updated", "更新时间"}},
      {"col.device", {"Kiosk", "展台"}},
      {"col.participations", {"Participations", "参与次数"}},
      {"col.name", {"Name", "名称"}},
      {"col.name_latin", {"Name (Latin)", "名称（拉丁字母）"}},
      {"col.kind", {"Kind", "类型"}},
      {"col.country", {"Country", "国家"}},
      {"col.city", {"City", "城市"}},
      {"col.id", {"No.", "编号"}},
      {"col.reason", {"Why", "原因"}},
      {"col.state", {"State", "状态"}},
      {"col.how", {"How", "方式"}},
      {"col.into", {"Kept", "保留"}},
      {"col.from", {"Merged in", "并入"}},
      {"col.at", {"When", "时间"}},
      {"col.actor", {"By", "操作人"}},
      {"col.undone_at", {"Undone", "撤销时间"}},
      {"col.tour", {"Tour", "巡展"}},
      {"col.last_bundle", {"Last upload", "最近上传"}},
      {"col.entries_held", {"Records held", "已收记录"}},
      {"col.last_receipt", {"Last receipt", "最近回执"}},
      {"col.missing", {"Known missing", "已知缺失"}},
      {"col.incarnations", {"Store copies", "数据库副本"}},
      {"col.first_missing", {"First missing", "缺失起点"}},
      {"col.last_missing", {"Last missing", "缺失终点"}},
      {"col.incarnation_id", {"Store copy", "数据库副本"}},
      {"col.device_id", {"Kiosk id", "展台编号"}},
      {"col.event", {"Event", "活动"}},
      {"col.venue", {"Venue", "场地"}},
      {"col.start_date", {"From", "开始"}},
      {"col.end_date", {"To", "结束"}},
      {"col.participants", {"People", "人数"}},
      {"col.lang", {"Language", "语言"}},
      {"col.created_at", {"Created", "创建时间"}},
      {"col.side", {"Side", "一方"}},
      {"col.field", {"Field", "字段"}},
      {"col.source_kind", {"From a kiosk's", "来源记录类型"}},
      {"col.value", {"Value", "值"}},
      {"col.version_at", {"Version of", "版本时间"}},
      {"col.received_at", {"Received", "接收时间"}},
      {"col.status", {"Status", "状态"}},
      {"col.activity", {"Activity", "项目"}},
      {"col.first_at", {"First seen", "首次"}},
      {"col.kiosks", {"Kiosks", "展台"}},
      {"col.records", {"Records", "记录数"}},
      {"col.event_id", {"Event id", "活动编号"}},
      {"col.consent", {"Consent", "同意书"}},
      {"col.text_version", {"Text version", "文本版本"}},
      {"col.language", {"Language shown", "展示语言"}},
      {"col.text_sha256", {"SHA-256 of the text shown", "所示文本的 SHA-256"}},
      {"col.signed_at", {"Signed", "签署时间"}},
      {"col.record", {"Kiosk record", "展台记录"}},
      {"col.grade", {"Grade", "年级"}},
      {"col.interests", {"Interests", "兴趣"}},
  };
  return w;
}

}  // namespace

std::string tr(const std::string& lang, const std::string& key) {
  const auto& w = words();
  const auto it = w.find(key);
  if (it == w.end()) return key.rfind("col.", 0) == 0 ? key.substr(4) : key;
  return lang == "zh" ? it->second.zh : it->second.en;
}

bool has_word(const std::string& key) { return words().count(key) > 0; }

const char* kLayout = R"(<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · {{app}}</title>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header>
  <a class="brand" href="/">{{app}}</a>
  {{#user}}
  <nav>
    {{#nav}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/nav}}
  </nav>
  <div class="who">
    <span>{{signed_in_as}} <bdi>{{name}}</bdi> ({{role}})</span>
    <form method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button>{{sign_out}}</button></form>
  </div>
  {{/user}}
  <div class="langs"><a href="/lang?to=en&amp;back={{here}}" lang="en">English</a> · <a href="/lang?to=zh&amp;back={{here}}" lang="zh">中文</a></div>
</header>
<main>
<h1>{{title}}</h1>
{{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
{{{body}}}
</main>
</body>
</html>
)";

const char* kLogin = R"(<form class="card narrow" method="post" action="/login">
<input type="hidden" name="back" value="{{back}}">
<label>{{name_label}} <input name="name" autocomplete="username" required maxlength="60" value="{{name}}"></label>
<label>{{password_label}} <input name="password" type="password" autocomplete="current-password" required maxlength="200"></label>
<button class="primary">{{submit}}</button>
</form>
)";

const char* kHome = R"(<div class="tiles">
{{#tiles}}<a class="tile{{#warn}} warn{{/warn}}" href="{{href}}"><strong>{{value}}</strong><span>{{label}}</span></a>{{/tiles}}
</div>
)";

const char* kSearch = R"(<form class="filters" method="get" action="{{action}}">
<input type="search" name="q" value="{{q}}" placeholder="{{placeholder}}" aria-label="{{search}}">
{{#selects}}<label>{{label}} <select name="{{name}}">{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/options}}</select></label>{{/selects}}
<button>{{search}}</button>
</form>
)";

const char* kTable = R"({{#caption}}<h2>{{caption}}</h2>{{/caption}}
{{#empty}}<p class="muted">{{none}}</p>{{/empty}}
{{^empty}}<div class="scroll"><table>
<thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}{{#actions}}<th></th>{{/actions}}</tr></thead>
<tbody>
{{#rows}}<tr>{{#cells}}<td>{{#href}}<a href="{{href}}">{{/href}}<bdi>{{text}}</bdi>{{#href}}</a>{{/href}}</td>{{/cells}}{{#action}}<td>{{{action}}}</td>{{/action}}</tr>
{{/rows}}</tbody>
</table></div>
{{#count}}<p class="muted">{{count}}</p>{{/count}}
{{#pager}}<p class="pager">{{#prev}}<a href="{{prev}}">{{prev_label}}</a>{{/prev}} {{#next}}<a href="{{next}}">{{next_label}}</a>{{/next}}</p>{{/pager}}
{{/empty}}
)";

const char* kPostButton = R"(<form method="post" action="{{action}}" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">{{#fields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/fields}}<button{{#primary}} class="primary"{{/primary}}>{{label}}</button></form>)";

const char* kAccountForm = R"(<form class="card" method="post" action="/accounts">
<input type="hidden" name="csrf" value="{{csrf}}">
<h2>{{title}}</h2>
<label>{{name_label}} <input name="name" required maxlength="60"></label>
<label>{{password_label}} <input name="password" type="password" required minlength="10" maxlength="200" autocomplete="new-password"></label>
<label>{{role_label}} <select name="role">{{#roles}}<option value="{{value}}">{{text}}</option>{{/roles}}</select></label>
<button class="primary">{{save}}</button>
</form>
)";

const char* kReportForm = R"(<form class="card" method="get" action="/report/view">
<label>{{year_label}} <input name="year" type="number" min="2000" max="2100" required value="{{year}}"></label>
<label>{{country_label}} <input name="country" maxlength="2" pattern="[A-Za-z]{2}"></label>
<label>{{lang_label}} <select name="lang"><option value="en">English</option><option value="zh"{{#zh}} selected{{/zh}}>中文</option></select></label>
<label>{{format_label}} <select name="format"><option value="html">{{format_html}}</option><option value="xlsx">XLSX</option><option value="sql">{{format_sql}}</option></select></label>
<button class="primary">{{make}}</button>
</form>
)";

const char* kCss = R"(:root {
  --ink: #1d2433; --muted: #5b6475; --line: #d9dde5; --paper: #ffffff; --wash: #f4f6f9;
  --accent: #0b6b5e; --accent-ink: #ffffff; --warn: #9a3412; --warn-wash: #fff1e6;
  font-family: "Noto Sans", "Noto Sans CJK SC", "Noto Sans Khmer", "Noto Sans Myanmar",
               "Noto Sans Arabic", "DejaVu Sans", sans-serif;
  color: var(--ink); background: var(--wash);
}
* { box-sizing: border-box; }
body { margin: 0; line-height: 1.5; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center;
         padding: .75rem 1.25rem; background: var(--paper); border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; color: var(--accent); text-decoration: none; }
nav { display: flex; flex-wrap: wrap; gap: .25rem .9rem; }
nav a { color: var(--ink); text-decoration: none; padding: .15rem 0; border-bottom: 2px solid transparent; }
nav a[aria-current] { border-color: var(--accent); font-weight: 600; }
.who { display: flex; gap: .5rem; align-items: center; margin-left: auto; color: var(--muted); font-size: .9rem; }
.langs { font-size: .9rem; }
main { max-width: 78rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.notice { background: #e7f5ef; border-left: 4px solid var(--accent); padding: .5rem .75rem; }
.error { background: var(--warn-wash); border-left: 4px solid var(--warn); padding: .5rem .75rem; color: var(--warn); }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem;
        display: grid; gap: .75rem; max-width: 36rem; }
.narrow { max-width: 22rem; }
label { display: grid; gap: .2rem; font-size: .9rem; color: var(--muted); }
input, select, button { font: inherit; padding: .45rem .6rem; border: 1px solid var(--line);
                        border-radius: .35rem; background: var(--paper); color: var(--ink); }
button { cursor: pointer; }
button.primary { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); }
form.inline { display: inline; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: 1rem; }
.filters input[type=search] { min-width: 14rem; flex: 1; }
.filters label { display: flex; gap: .35rem; align-items: center; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .75rem; }
.tile { background: var(--paper); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem;
        text-decoration: none; color: var(--ink); display: grid; }
.tile strong { font-size: 2rem; color: var(--accent); }
.tile.warn strong { color: var(--warn); }
.scroll { overflow-x: auto; background: var(--paper); border: 1px solid var(--line); border-radius: .5rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: start; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--wash); font-weight: 600; white-space: nowrap; }
tr:last-child td { border-bottom: 0; }
.pager { display: flex; gap: 1rem; }
@media (max-width: 40rem) {
  header { padding: .6rem .8rem; }
  .who { margin-left: 0; }
  main { padding: .75rem .8rem 2rem; }
  th, td { padding: .35rem .4rem; }
}
@media print {
  header, .filters, form { display: none; }
  body, :root { background: #fff; }
}
)";

}  // namespace kiosk::hq::web
