//! Validation of `matters.toml` and `kiosk.toml`: every error names the file, the line and the field.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kiosk_core::catalog::{Catalog, MatterId, SAMPLE_MARKER};
use kiosk_core::config_error::{ConfigError, ConfigErrors};
use kiosk_core::setup::Setup;
use kiosk_core::terminal::{Orientation, PrinterAddress, TerminalConfig};

const CATALOG_FILE: &str = "config/matters.toml";
const KIOSK_FILE: &str = "config/kiosk.toml";

const CATALOG: &str = r#"# 测试县事项目录
[catalog]
name = "测试县政务服务事项目录"
version = "2026.1"

[guide_defaults]
fees = "不收费"
contact = "0916-0000000"
location = "测试县政务服务中心"

[[matter]]
id = "pension-summary"
code = "000000000001"
name = "城乡居民养老保险缴费及待遇查询"
kind = "公共服务"
department = "测试县人力资源和社会保障局"
category = "养老保险"
handling = "办理"
flow = "query"
service = "pension-summary"
aliases = ["养老金查询"]
sources = ["勉县#1"]

[matter.guide]
legal_basis = "《中华人民共和国社会保险法》"
conditions = "已参保人员"
materials = ["居民身份证"]
process = ["刷身份证", "查看结果"]
time_limit = "即时办结"

[[matter]]
id = "card-apply-adult"
code = "00000000002Y"
name = "社会保障卡申领（成年人）"
kind = "公共服务"
department = "测试县人力资源和社会保障局"
category = "社保卡"
handling = "受理"
flow = "apply"
service = "card-apply-adult"
sources = ["勉县#2", "襄垣县#7"]

[matter.guide]
legal_basis = "《社会保障卡管理办法》"
conditions = "年满16周岁的参保人员"
materials = ["居民身份证"]
process = ["刷身份证", "填写联系电话", "确认提交"]
time_limit = "20个工作日"
location = "测试县社保卡服务网点"

[[matter]]
id = "funeral-grant"
name = "城乡居民养老保险丧葬补助金申领"
kind = "行政给付"
department = "测试县人力资源和社会保障局"
category = "养老保险"
handling = "初审"
flow = "guide"
sources = ["勉县#3"]

[matter.guide]
sample = true
legal_basis = "【示例】《城乡居民基本养老保险经办规程》"
conditions = "【示例】参保人员死亡后，其遗属"
materials = ["死亡证明"]
process = ["窗口提交材料"]
time_limit = "【示例】15个工作日"
"#;

const KIOSK: &str = r#"# 测试终端
[terminal]
id = "test-001"
name = "测试镇便民服务中心1号机"
county = "测试县"

[offer]
matters = [
    "pension-summary",
    "card-apply-adult",
]
hot = ["pension-summary"]

[session]
idle_timeout_secs = 90
countdown_secs = 20
"#;

// ---------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------

/// 1-based line of the `nth` (0-based) line containing `needle`.
fn line_of_nth(text: &str, needle: &str, nth: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(nth)
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in text"))
}

fn line_of(text: &str, needle: &str) -> usize {
    line_of_nth(text, needle, 0)
}

/// Replaces the `nth` occurrence of `from` (which must exist).
fn replace_nth(text: &str, from: &str, to: &str, nth: usize) -> String {
    let (at, _) = text
        .match_indices(from)
        .nth(nth)
        .unwrap_or_else(|| panic!("{from:?} #{nth} not in text"));
    format!("{}{}{}", &text[..at], to, &text[at + from.len()..])
}

fn replace(text: &str, from: &str, to: &str) -> String {
    replace_nth(text, from, to, 0)
}

fn catalog_errors(text: &str) -> Vec<ConfigError> {
    match Catalog::parse(text, CATALOG_FILE) {
        Ok(_) => panic!("the broken catalog was accepted"),
        Err(ConfigErrors(e)) => e,
    }
}

fn catalog() -> Catalog {
    Catalog::parse(CATALOG, CATALOG_FILE).unwrap_or_else(|e| panic!("{e}"))
}

fn kiosk_errors(text: &str) -> Vec<ConfigError> {
    match TerminalConfig::parse(text, KIOSK_FILE).and_then(|p| p.resolve(&catalog())) {
        Ok(_) => panic!("the broken kiosk.toml was accepted"),
        Err(ConfigErrors(e)) => e,
    }
}

fn kiosk(text: &str) -> TerminalConfig {
    TerminalConfig::parse(text, KIOSK_FILE)
        .and_then(|p| p.resolve(&catalog()))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Exactly one error, in `file`, at `line`, on `field`; its Display names all three.
#[track_caller]
fn one(errors: &[ConfigError], file: &str, line: usize, field: &str) -> ConfigError {
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = errors[0].clone();
    assert_eq!(
        (e.file.as_str(), e.line, e.field.as_str()),
        (file, line, field),
        "{e}"
    );
    assert!(
        e.to_string()
            .starts_with(&format!("{file}:{line}: {field}: ")),
        "{e}"
    );
    assert!(!e.message.trim().is_empty(), "{e}");
    e
}

// ---------------------------------------------------------------------------------------
// The valid files
// ---------------------------------------------------------------------------------------

#[test]
fn the_valid_catalog_parses_with_defaults_applied() {
    let c = catalog();
    assert_eq!(c.name, "测试县政务服务事项目录");
    assert_eq!(c.version, "2026.1");
    assert_eq!(c.matters().len(), 3);
    let card = c.get(&MatterId("card-apply-adult".into())).unwrap();
    assert_eq!(card.code.as_deref(), Some("00000000002Y"));
    assert_eq!(card.guide.fees, "不收费", "from [guide_defaults]");
    assert_eq!(
        card.guide.location, "测试县社保卡服务网点",
        "the matter's own value wins"
    );
    assert_eq!(
        card.sources,
        vec!["勉县#2".to_string(), "襄垣县#7".to_string()]
    );
    let samples: Vec<_> = c
        .sample_guides()
        .iter()
        .map(|m| m.id.as_str().to_string())
        .collect();
    assert_eq!(samples, vec!["funeral-grant".to_string()]);
    assert_eq!(c.get(&MatterId("nope".into())), None);
}

#[test]
fn the_valid_kiosk_parses() {
    let t = kiosk(KIOSK);
    assert_eq!(t.id, "test-001");
    assert_eq!(
        t.offered,
        vec![
            MatterId("pension-summary".into()),
            MatterId("card-apply-adult".into())
        ]
    );
    assert_eq!(t.hot, vec![MatterId("pension-summary".into())]);
    assert_eq!((t.idle_timeout_secs, t.countdown_secs), (90, 20));
    assert_eq!(t.catalog_path, "matters.toml");
    assert_eq!(t.orientation, Orientation::Portrait);
    assert_eq!(t.hotline, "12345");
}

#[test]
fn kiosk_defaults_are_60_and_15_seconds() {
    let text = replace(KIOSK, "idle_timeout_secs = 90\ncountdown_secs = 20\n", "");
    let t = kiosk(&text);
    assert_eq!((t.idle_timeout_secs, t.countdown_secs), (60, 15));
}

// ---------------------------------------------------------------------------------------
// matters.toml: field rules
// ---------------------------------------------------------------------------------------

#[test]
fn matter_id_must_be_lowercase_ascii_of_sane_length() {
    for bad in ["Card_Apply", "ab", "社保卡申领", &"a".repeat(49)] {
        let text = replace(
            CATALOG,
            "id = \"card-apply-adult\"",
            &format!("id = \"{bad}\""),
        );
        let errors = catalog_errors(&text);
        one(
            &errors,
            CATALOG_FILE,
            line_of(&text, &format!("id = \"{bad}\"")),
            "matter[1].id",
        );
    }
    let text = replace(
        CATALOG,
        "id = \"card-apply-adult\"",
        &format!("id = \"{}\"", "a".repeat(48)),
    );
    assert!(Catalog::parse(&text, CATALOG_FILE).is_ok());
}

#[test]
fn duplicate_matter_ids_name_the_second() {
    let text = replace(
        CATALOG,
        "id = \"funeral-grant\"",
        "id = \"pension-summary\"",
    );
    let errors = catalog_errors(&text);
    let e = one(
        &errors,
        CATALOG_FILE,
        line_of_nth(&text, "id = \"pension-summary\"", 1),
        "matter[2].id",
    );
    assert!(e.message.contains("pension-summary"), "{e}");
}

#[test]
fn matter_code_must_be_twelve_digits() {
    for bad in [
        "00000000001",
        "0000000000001",
        "00000000000X",
        "0000Y0000001",
    ] {
        let text = replace(
            CATALOG,
            "code = \"000000000001\"",
            &format!("code = \"{bad}\""),
        );
        let errors = catalog_errors(&text);
        one(&errors, CATALOG_FILE, line_of(&text, bad), "matter[0].code");
    }
}

#[test]
fn matter_name_must_not_be_empty() {
    let text = replace(
        CATALOG,
        "name = \"社会保障卡申领（成年人）\"",
        "name = \"  \"",
    );
    one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "name = \"  \""),
        "matter[1].name",
    );
}

#[test]
fn matter_kind_must_be_a_known_kind() {
    let text = replace(CATALOG, "kind = \"行政给付\"", "kind = \"行政服务\"");
    let e = one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "行政服务"),
        "matter[2].kind",
    );
    assert!(e.message.contains("行政服务"), "{e}");
}

#[test]
fn matter_department_must_not_be_empty() {
    let text = replace_nth(
        CATALOG,
        "department = \"测试县人力资源和社会保障局\"",
        "department = \"\"",
        2,
    );
    one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "department = \"\""),
        "matter[2].department",
    );
}

#[test]
fn unknown_category_handling_flow_and_service_values_name_the_field() {
    for (from, to, field) in [
        (
            "category = \"社保卡\"",
            "category = \"交通出行\"",
            "matter[1].category",
        ),
        (
            "handling = \"受理\"",
            "handling = \"审批\"",
            "matter[1].handling",
        ),
        ("flow = \"apply\"", "flow = \"fill-in\"", "matter[1].flow"),
        (
            "service = \"card-apply-adult\"",
            "service = \"make-coffee\"",
            "matter[1].service",
        ),
    ] {
        let text = replace(CATALOG, from, to);
        let e = one(
            &catalog_errors(&text),
            CATALOG_FILE,
            line_of(&text, to),
            field,
        );
        assert!(e.to_string().contains(to.split('"').nth(1).unwrap()), "{e}");
    }
}

#[test]
fn guide_only_matters_must_not_name_a_service() {
    let text = replace(
        CATALOG,
        "flow = \"guide\"\n",
        "flow = \"guide\"\nservice = \"pension-summary\"\n",
    );
    let errors = catalog_errors(&text);
    one(
        &errors,
        CATALOG_FILE,
        line_of_nth(&text, "service = \"pension-summary\"", 1),
        "matter[2].service",
    );
}

#[test]
fn query_and_apply_matters_must_name_a_service() {
    let text = replace(CATALOG, "service = \"pension-summary\"\n", "");
    one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "flow = \"query\""),
        "matter[0].service",
    );
    let text = replace(CATALOG, "service = \"card-apply-adult\"\n", "");
    one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "flow = \"apply\""),
        "matter[1].service",
    );
}

#[test]
fn service_must_fit_the_flow() {
    // a query service on an apply matter
    let text = replace(
        CATALOG,
        "service = \"card-apply-adult\"",
        "service = \"rights-record\"",
    );
    let e = one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "rights-record"),
        "matter[1].service",
    );
    assert!(e.message.contains("apply"), "{e}");
    // an apply service on a query matter
    let text = replace(
        CATALOG,
        "service = \"pension-summary\"",
        "service = \"card-suspend\"",
    );
    let e = one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "card-suspend"),
        "matter[0].service",
    );
    assert!(e.message.contains("query"), "{e}");
}

#[test]
fn every_matter_needs_a_source() {
    // present but empty
    let text = replace(CATALOG, "sources = [\"勉县#3\"]", "sources = []");
    one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "sources = []"),
        "matter[2].sources",
    );
}

#[test]
fn a_missing_sources_key_names_the_matter() {
    let text = replace(CATALOG, "sources = [\"勉县#3\"]\n", "");
    let errors = catalog_errors(&text);
    // the matter as a whole is at fault: its [[matter]] header
    one(
        &errors,
        CATALOG_FILE,
        line_of_nth(&text, "[[matter]]", 2),
        "matter[2].sources",
    );
}

#[test]
fn sources_must_be_list_hash_number() {
    for bad in ["勉县-2", "#2", "勉县#0", "勉县#二", "勉县"] {
        let text = replace(CATALOG, "\"襄垣县#7\"", &format!("\"{bad}\""));
        let e = one(
            &catalog_errors(&text),
            CATALOG_FILE,
            line_of(&text, "sources = [\"勉县#2\""),
            "matter[1].sources",
        );
        assert!(e.message.contains(bad), "{e}");
    }
}

#[test]
fn a_source_may_back_only_one_matter() {
    let text = replace(
        CATALOG,
        "sources = [\"勉县#3\"]",
        "sources = [\n    \"勉县#9\",\n    \"勉县#2\",\n]",
    );
    let errors = catalog_errors(&text);
    // the second use, on its own line
    let e = one(
        &errors,
        CATALOG_FILE,
        line_of(&text, "    \"勉县#2\","),
        "matter[2].sources",
    );
    assert!(e.message.contains("勉县#2"), "{e}");
}

#[test]
fn a_source_repeated_within_one_matter_is_also_a_duplicate() {
    let text = replace(CATALOG, "\"襄垣县#7\"", "\"勉县#2\"");
    one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "sources = [\"勉县#2\", \"勉县#2\"]"),
        "matter[1].sources",
    );
}

// ---------------------------------------------------------------------------------------
// matters.toml: guide rules
// ---------------------------------------------------------------------------------------

#[test]
fn guide_texts_must_not_be_empty() {
    for (from, field) in [
        (
            "legal_basis = \"《社会保障卡管理办法》\"",
            "matter[1].guide.legal_basis",
        ),
        (
            "conditions = \"年满16周岁的参保人员\"",
            "matter[1].guide.conditions",
        ),
        ("time_limit = \"20个工作日\"", "matter[1].guide.time_limit"),
    ] {
        let key = from.split(" = ").next().unwrap();
        let to = format!("{key} = \" \"");
        let text = replace(CATALOG, from, &to);
        one(
            &catalog_errors(&text),
            CATALOG_FILE,
            line_of(&text, &to),
            field,
        );
    }
}

#[test]
fn guide_lists_need_at_least_one_non_empty_item() {
    for (from, to, field) in [
        (
            "materials = [\"居民身份证\"]\nprocess = [\"刷身份证\", \"查看结果\"]",
            "materials = []\nprocess = [\"刷身份证\", \"查看结果\"]",
            "matter[0].guide.materials",
        ),
        (
            "process = [\"刷身份证\", \"查看结果\"]",
            "process = [\"刷身份证\", \"\"]",
            "matter[0].guide.process",
        ),
        (
            "process = [\"刷身份证\", \"查看结果\"]",
            "process = []",
            "matter[0].guide.process",
        ),
    ] {
        let text = replace(CATALOG, from, to);
        let changed = to.lines().next().unwrap();
        let needle = if field.ends_with("process") {
            to
        } else {
            changed
        };
        one(
            &catalog_errors(&text),
            CATALOG_FILE,
            line_of(&text, needle),
            field,
        );
    }
}

#[test]
fn sample_guides_must_start_every_text_with_the_marker() {
    let text = replace(
        CATALOG,
        "conditions = \"【示例】参保人员死亡后，其遗属\"",
        "conditions = \"参保人员死亡后，其遗属\"",
    );
    let e = one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "conditions = \"参保人员死亡后"),
        "matter[2].guide.conditions",
    );
    assert!(e.message.contains(SAMPLE_MARKER), "{e}");
    // the marker somewhere in the middle is not a start
    let text = replace(
        CATALOG,
        "time_limit = \"【示例】15个工作日\"",
        "time_limit = \"15个工作日【示例】\"",
    );
    one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "15个工作日【示例】"),
        "matter[2].guide.time_limit",
    );
}

#[test]
fn marked_text_in_a_guide_not_flagged_sample_is_an_error() {
    let text = replace(
        CATALOG,
        "legal_basis = \"《中华人民共和国社会保险法》\"",
        "legal_basis = \"【示例】《中华人民共和国社会保险法》\"",
    );
    let e = one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "【示例】《中华人民共和国社会保险法》"),
        "matter[0].guide.legal_basis",
    );
    assert!(e.message.contains("sample = true"), "{e}");
    // sample = false written out is the same as leaving it out
    let text = replace(CATALOG, "sample = true\n", "sample = false\n");
    let errors = catalog_errors(&text);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    for (e, field) in errors
        .iter()
        .zip(["legal_basis", "conditions", "time_limit"])
    {
        assert_eq!(e.field, format!("matter[2].guide.{field}"));
        assert_eq!(e.line, line_of(&text, &format!("{field} = \"【示例】")));
    }
}

#[test]
fn removing_the_sample_flag_and_markers_together_is_fine() {
    let text = replace(CATALOG, "sample = true\n", "").replace(SAMPLE_MARKER, "");
    let c = Catalog::parse(&text, CATALOG_FILE).unwrap();
    assert!(c.sample_guides().is_empty());
}

#[test]
fn missing_fees_contact_or_location_without_a_default_names_the_guide() {
    let text = replace(CATALOG, "fees = \"不收费\"\n", "");
    let errors = catalog_errors(&text);
    assert_eq!(errors.len(), 3, "every matter lacks fees: {errors:#?}");
    for (i, e) in errors.iter().enumerate() {
        assert_eq!(e.field, format!("matter[{i}].guide.fees"));
        assert_eq!(e.file, CATALOG_FILE);
        assert_eq!(e.line, line_of_nth(&text, "[matter.guide]", i), "{e}");
    }
    // a matter's own value is enough
    let text = replace(CATALOG, "location = \"测试县政务服务中心\"\n", "");
    let errors = catalog_errors(&text);
    assert_eq!(
        errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
        vec!["matter[0].guide.location", "matter[2].guide.location"]
    );
}

// ---------------------------------------------------------------------------------------
// matters.toml: shape and syntax
// ---------------------------------------------------------------------------------------

#[test]
fn a_catalog_without_matters_is_an_error_of_the_file() {
    let end = CATALOG.find("[[matter]]").unwrap();
    let errors = catalog_errors(&CATALOG[..end]);
    let e = one(&errors, CATALOG_FILE, 0, "matter");
    assert!(e.to_string().contains(CATALOG_FILE));
}

#[test]
fn toml_syntax_errors_name_the_line() {
    let text = replace(CATALOG, "handling = \"受理\"", "handling = \"受理");
    let errors = catalog_errors(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].file, CATALOG_FILE);
    assert_eq!(
        errors[0].line,
        line_of(&text, "handling = \"受理"),
        "{}",
        errors[0]
    );
    let text = replace(CATALOG, "[matter.guide]", "[matter.guide");
    let errors = catalog_errors(&text);
    assert_eq!(
        errors[0].line,
        line_of(&text, "[matter.guide"),
        "{}",
        errors[0]
    );
    let text = replace(CATALOG, "kind = \"公共服务\"", "kind == \"公共服务\"");
    let errors = catalog_errors(&text);
    assert_eq!(errors[0].line, line_of(&text, "kind == "), "{}", errors[0]);
}

#[test]
fn a_key_given_twice_names_its_line() {
    let text = replace(
        CATALOG,
        "handling = \"受理\"",
        "handling = \"受理\"\nhandling = \"办理\"",
    );
    let errors = catalog_errors(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].line,
        line_of_nth(&text, "handling = \"办理\"", 1),
        "{}",
        errors[0]
    );
    assert_eq!(errors[0].field, "matter[1].handling", "{}", errors[0]);
}

#[test]
fn unknown_fields_are_rejected_naming_the_field() {
    for (after, extra, field) in [
        (
            "handling = \"受理\"\n",
            "colour = \"red\"\n",
            "matter[1].colour",
        ),
        (
            "time_limit = \"20个工作日\"\n",
            "notes = \"x\"\n",
            "matter[1].guide.notes",
        ),
        (
            "version = \"2026.1\"\n",
            "author = \"x\"\n",
            "catalog.author",
        ),
        (
            "location = \"测试县政务服务中心\"\n",
            "hours = \"x\"\n",
            "guide_defaults.hours",
        ),
    ] {
        let text = replace(CATALOG, after, &format!("{after}{extra}"));
        let e = one(
            &catalog_errors(&text),
            CATALOG_FILE,
            line_of(&text, extra.trim()),
            field,
        );
        assert!(e.message.contains(field.rsplit('.').next().unwrap()), "{e}");
    }
}

#[test]
fn an_unknown_top_level_table_is_rejected() {
    let text = format!("{CATALOG}\n[extras]\nfoo = 1\n");
    let errors = catalog_errors(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].field.contains("extras") || errors[0].message.contains("extras"),
        "{}",
        errors[0]
    );
    assert_eq!(errors[0].line, line_of(&text, "[extras]"), "{}", errors[0]);
}

#[test]
fn a_missing_required_field_names_the_matter_and_field() {
    let text = replace(CATALOG, "kind = \"行政给付\"\n", "");
    let errors = catalog_errors(&text);
    let e = &errors[0];
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(e.field, "matter[2].kind", "{e}");
    assert!(e.message.contains("kind"), "{e}");
    assert_eq!(e.line, line_of_nth(&text, "[[matter]]", 2), "{e}");
}

#[test]
fn a_missing_catalog_header_names_it() {
    let text = replace(
        CATALOG,
        "[catalog]\nname = \"测试县政务服务事项目录\"\nversion = \"2026.1\"\n",
        "",
    );
    let errors = catalog_errors(&text);
    one(&errors, CATALOG_FILE, 0, "catalog");
}

#[test]
fn a_missing_guide_field_names_the_guide_table() {
    let text = replace_nth(CATALOG, "time_limit = \"20个工作日\"\n", "", 0);
    let errors = catalog_errors(&text);
    one(
        &errors,
        CATALOG_FILE,
        line_of_nth(&text, "[matter.guide]", 1),
        "matter[1].guide.time_limit",
    );
    // a matter without any guide
    let at = CATALOG.rfind("[matter.guide]").unwrap();
    let text = CATALOG[..at].to_string();
    let errors = catalog_errors(&text);
    one(
        &errors,
        CATALOG_FILE,
        line_of_nth(&text, "[[matter]]", 2),
        "matter[2].guide",
    );
}

#[test]
fn a_missing_field_of_an_inline_guide_names_the_guide() {
    let at = CATALOG.rfind("[matter.guide]").unwrap();
    let text = format!(
        "{}guide = {{ sample = true, legal_basis = \"【示例】x\", materials = [\"y\"], process = [\"z\"], time_limit = \"【示例】t\" }}\n",
        &CATALOG[..at]
    );
    let errors = catalog_errors(&text);
    one(
        &errors,
        CATALOG_FILE,
        line_of(&text, "guide = {"),
        "matter[2].guide.conditions",
    );
}

#[test]
fn a_wrong_value_type_names_the_field_and_line() {
    let text = replace(
        CATALOG,
        "aliases = [\"养老金查询\"]",
        "aliases = \"养老金查询\"",
    );
    one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "aliases = \"养老金查询\""),
        "matter[0].aliases",
    );
    let text = replace(CATALOG, "sample = true", "sample = \"yes\"");
    one(
        &catalog_errors(&text),
        CATALOG_FILE,
        line_of(&text, "sample = \"yes\""),
        "matter[2].guide.sample",
    );
}

#[test]
fn many_catalog_errors_are_reported_together_in_file_order() {
    let mut text = replace(CATALOG, "kind = \"公共服务\"", "kind = \"未知\"");
    text = replace(&text, "id = \"card-apply-adult\"", "id = \"Card\"");
    text = replace(&text, "sources = [\"勉县#3\"]", "sources = [\"勉县#1\"]");
    text = replace(
        &text,
        "conditions = \"【示例】参保人员死亡后，其遗属\"",
        "conditions = \"\"",
    );
    let errors = catalog_errors(&text);
    let got: Vec<_> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (line_of(&text, "kind = \"未知\""), "matter[0].kind"),
            (line_of(&text, "id = \"Card\""), "matter[1].id"),
            (
                line_of_nth(&text, "sources = [\"勉县#1\"]", 1),
                "matter[2].sources"
            ),
            (
                line_of(&text, "conditions = \"\""),
                "matter[2].guide.conditions"
            ),
        ]
    );
    let shown = ConfigErrors(errors).to_string();
    assert_eq!(shown.lines().count(), 4, "{shown}");
    assert!(
        shown.lines().all(|l| l.starts_with(CATALOG_FILE)),
        "{shown}"
    );
}

// ---------------------------------------------------------------------------------------
// kiosk.toml
// ---------------------------------------------------------------------------------------

#[test]
fn terminal_id_name_and_county_must_not_be_empty() {
    for (from, field) in [
        ("id = \"test-001\"", "terminal.id"),
        ("name = \"测试镇便民服务中心1号机\"", "terminal.name"),
        ("county = \"测试县\"", "terminal.county"),
    ] {
        let to = format!("{} = \"  \"", from.split(" = ").next().unwrap());
        let text = replace(KIOSK, from, &to);
        one(&kiosk_errors(&text), KIOSK_FILE, line_of(&text, &to), field);
    }
}

#[test]
fn idle_timeout_must_be_15_to_600_seconds() {
    for bad in [0, 14, 601, 86_400] {
        let text = replace(
            KIOSK,
            "idle_timeout_secs = 90",
            &format!("idle_timeout_secs = {bad}"),
        );
        one(
            &kiosk_errors(&text),
            KIOSK_FILE,
            line_of(&text, "idle_timeout_secs"),
            "session.idle_timeout_secs",
        );
    }
    for good in [15, 600] {
        let text = replace(
            KIOSK,
            "idle_timeout_secs = 90",
            &format!("idle_timeout_secs = {good}"),
        );
        assert_eq!(kiosk(&text).idle_timeout_secs, good);
    }
}

#[test]
fn countdown_must_be_5_to_60_seconds() {
    for bad in [0, 4, 61] {
        let text = replace(
            KIOSK,
            "countdown_secs = 20",
            &format!("countdown_secs = {bad}"),
        );
        one(
            &kiosk_errors(&text),
            KIOSK_FILE,
            line_of(&text, "countdown_secs"),
            "session.countdown_secs",
        );
    }
    for good in [5, 60] {
        let text = replace(
            KIOSK,
            "countdown_secs = 20",
            &format!("countdown_secs = {good}"),
        );
        assert_eq!(kiosk(&text).countdown_secs, good);
    }
}

#[test]
fn session_values_of_the_wrong_type_name_the_field() {
    for bad in ["\"60\"", "-1", "1.5", "4294967296"] {
        let text = replace(
            KIOSK,
            "idle_timeout_secs = 90",
            &format!("idle_timeout_secs = {bad}"),
        );
        one(
            &kiosk_errors(&text),
            KIOSK_FILE,
            line_of(&text, "idle_timeout_secs"),
            "session.idle_timeout_secs",
        );
    }
}

#[test]
fn an_unknown_offered_matter_names_its_entry() {
    let text = replace(
        KIOSK,
        "    \"card-apply-adult\",\n",
        "    \"card-apply-adult\",\n    \"no-such-matter\",\n",
    );
    let e = one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "no-such-matter"),
        "offer.matters[2]",
    );
    assert!(e.message.contains("no-such-matter"), "{e}");
}

#[test]
fn a_matter_offered_twice_names_the_second_entry() {
    let text = replace(
        KIOSK,
        "    \"card-apply-adult\",\n",
        "    \"card-apply-adult\",\n    \"pension-summary\",\n",
    );
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of_nth(&text, "\"pension-summary\"", 1),
        "offer.matters[2]",
    );
}

#[test]
fn an_empty_offer_is_an_error() {
    let text = replace(
        KIOSK,
        "matters = [\n    \"pension-summary\",\n    \"card-apply-adult\",\n]\nhot = [\"pension-summary\"]",
        "matters = []",
    );
    let errors = kiosk_errors(&text);
    let e = one(
        &errors,
        KIOSK_FILE,
        line_of(&text, "matters = []"),
        "offer.matters",
    );
    assert!(e.to_string().contains(KIOSK_FILE));
}

#[test]
fn an_unknown_hot_matter_names_its_entry() {
    let text = replace(
        KIOSK,
        "hot = [\"pension-summary\"]",
        "hot = [\"pension-summary\", \"no-such-matter\"]",
    );
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "hot = "),
        "offer.hot[1]",
    );
}

#[test]
fn a_hot_matter_listed_twice_names_the_second_entry() {
    let text = replace(
        KIOSK,
        "hot = [\"pension-summary\"]",
        "hot = [\n    \"pension-summary\",\n    \"pension-summary\",\n]",
    );
    let e = one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        // the offer list names it once before the two hot entries
        line_of_nth(&text, "\"pension-summary\",", 2),
        "offer.hot[1]",
    );
    assert!(e.message.contains("重复"), "{e}");
}

#[test]
fn a_hot_matter_must_be_offered_here() {
    let text = replace(
        KIOSK,
        "hot = [\"pension-summary\"]",
        "hot = [\n    \"funeral-grant\",\n]",
    );
    let e = one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "\"funeral-grant\""),
        "offer.hot[0]",
    );
    assert!(e.message.contains("funeral-grant"), "{e}");
}

#[test]
fn a_star_offers_every_matter_of_the_catalog() {
    let text = replace(
        KIOSK,
        "    \"pension-summary\",\n    \"card-apply-adult\",\n",
        "    \"*\",\n",
    );
    let t = kiosk(&text);
    let ids: Vec<_> = t.offered.iter().map(|m| m.as_str().to_string()).collect();
    assert_eq!(
        ids,
        vec!["pension-summary", "card-apply-adult", "funeral-grant"]
    );
    // named matters first, in their order, then the rest in catalog order, none twice
    let text = replace(
        KIOSK,
        "    \"pension-summary\",\n    \"card-apply-adult\",\n",
        "    \"funeral-grant\",\n    \"*\",\n",
    );
    let t = kiosk(&text);
    let ids: Vec<_> = t.offered.iter().map(|m| m.as_str().to_string()).collect();
    assert_eq!(
        ids,
        vec!["funeral-grant", "pension-summary", "card-apply-adult"]
    );
    // and any matter of the catalog may then be hot
    let text = replace(
        &text,
        "hot = [\"pension-summary\"]",
        "hot = [\"funeral-grant\"]",
    );
    assert_eq!(kiosk(&text).hot, vec![MatterId("funeral-grant".into())]);
}

#[test]
fn a_star_does_not_hide_unknown_ids() {
    let text = replace(
        KIOSK,
        "    \"pension-summary\",\n",
        "    \"*\",\n    \"no-such-matter\",\n",
    );
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "no-such-matter"),
        "offer.matters[1]",
    );
}

#[test]
fn unknown_kiosk_fields_are_rejected_naming_the_field() {
    for (after, extra, field) in [
        (
            "county = \"测试县\"\n",
            "colour = \"red\"\n",
            "terminal.colour",
        ),
        (
            "countdown_secs = 20\n",
            "warn_secs = 5\n",
            "session.warn_secs",
        ),
        ("hot = [\"pension-summary\"]\n", "cold = []\n", "offer.cold"),
    ] {
        let text = replace(KIOSK, after, &format!("{after}{extra}"));
        let e = one(
            &kiosk_errors(&text),
            KIOSK_FILE,
            line_of(&text, extra.trim()),
            field,
        );
        assert!(e.message.contains(field.rsplit('.').next().unwrap()), "{e}");
    }
}

#[test]
fn bad_kiosk_enum_and_bool_values_name_the_field() {
    let text = format!("{KIOSK}\n[display]\norientation = \"diagonal\"\n");
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "orientation"),
        "display.orientation",
    );
    let text = format!("{KIOSK}\n[devices]\nsimulated = \"yes\"\n");
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "simulated"),
        "devices.simulated",
    );
    let text =
        format!("{KIOSK}\n[display]\norientation = \"landscape\"\n[devices]\nsimulated = false\n");
    let t = kiosk(&text);
    assert_eq!(t.orientation, Orientation::Landscape);
    assert_eq!(t.orientation.size(), (1920, 1080));
    assert!(!t.simulated_devices);
}

#[test]
fn a_missing_offer_table_names_it() {
    let text = replace(
        KIOSK,
        "[offer]\nmatters = [\n    \"pension-summary\",\n    \"card-apply-adult\",\n]\nhot = [\"pension-summary\"]\n",
        "",
    );
    let errors = kiosk_errors(&text);
    // the file as a whole lacks it: line 0
    one(&errors, KIOSK_FILE, 0, "offer");
}

#[test]
fn a_missing_terminal_field_names_the_terminal_table() {
    let text = replace(KIOSK, "county = \"测试县\"\n", "");
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "[terminal]"),
        "terminal.county",
    );
    // also when [terminal] comes after another table, and on the very first line
    let text = "[offer]\nmatters = [\"pension-summary\"]\n\n[terminal]\nid = \"t\"\nname = \"n\"\n";
    one(&kiosk_errors(text), KIOSK_FILE, 4, "terminal.county");
    let text = "[terminal]\nid = \"t\"\nname = \"n\"\n[offer]\nmatters = [\"pension-summary\"]\n";
    one(&kiosk_errors(text), KIOSK_FILE, 1, "terminal.county");
    let text = replace(
        KIOSK,
        "matters = [\n    \"pension-summary\",\n    \"card-apply-adult\",\n]\n",
        "",
    );
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "[offer]"),
        "offer.matters",
    );
}

#[test]
fn a_kiosk_syntax_error_names_the_line() {
    let text = replace(KIOSK, "county = \"测试县\"", "county = 测试县");
    let errors = kiosk_errors(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        (KIOSK_FILE, line_of(&text, "county = ")),
        "{}",
        errors[0]
    );
}

#[test]
fn many_kiosk_errors_are_reported_together() {
    let mut text = replace(KIOSK, "id = \"test-001\"", "id = \"\"");
    text = replace(&text, "idle_timeout_secs = 90", "idle_timeout_secs = 5");
    text = replace(&text, "countdown_secs = 20", "countdown_secs = 500");
    let errors = kiosk_errors(&text);
    let got: Vec<_> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (line_of(&text, "id = \"\""), "terminal.id"),
            (
                line_of(&text, "idle_timeout_secs"),
                "session.idle_timeout_secs"
            ),
            (line_of(&text, "countdown_secs"), "session.countdown_secs"),
        ]
    );
    // unknown offered and hot ids are reported together as well
    let text = replace(KIOSK, "    \"card-apply-adult\",\n", "    \"x-one\",\n");
    let text = replace(
        &text,
        "hot = [\"pension-summary\"]",
        "hot = [\"x-two\", \"card-apply-adult\"]",
    );
    let errors = kiosk_errors(&text);
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        vec!["offer.matters[1]", "offer.hot[0]", "offer.hot[1]"]
    );
}

#[test]
fn setup_reports_errors_of_both_files_each_naming_its_own() {
    let kiosk_text = replace(KIOSK, "countdown_secs = 20", "countdown_secs = 1");
    let catalog_text = replace(CATALOG, "kind = \"行政给付\"", "kind = \"其它\"");
    let Err(ConfigErrors(errors)) =
        Setup::parse(&kiosk_text, KIOSK_FILE, &catalog_text, CATALOG_FILE)
    else {
        panic!("accepted")
    };
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.file.as_str(), e.line, e.field.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                KIOSK_FILE,
                line_of(&kiosk_text, "countdown_secs"),
                "session.countdown_secs"
            ),
            (
                CATALOG_FILE,
                line_of(&catalog_text, "kind = \"其它\""),
                "matter[2].kind"
            ),
        ]
    );
    // a good pair works and cross-checks ids against the catalog
    let setup = Setup::parse(KIOSK, KIOSK_FILE, CATALOG, CATALOG_FILE).unwrap();
    assert!(
        setup.offered(&MatterId("funeral-grant".into())).is_none(),
        "in the catalog, not offered here"
    );
    assert!(
        setup
            .offered(&MatterId("card-apply-adult".into()))
            .is_some()
    );
    // and a kiosk.toml naming a matter the catalog lacks fails the setup
    let kiosk_text = replace(KIOSK, "\"card-apply-adult\",", "\"card-apply-minor\",");
    let Err(ConfigErrors(errors)) = Setup::parse(&kiosk_text, KIOSK_FILE, CATALOG, CATALOG_FILE)
    else {
        panic!("accepted")
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].file.as_str(), errors[0].field.as_str()),
        (KIOSK_FILE, "offer.matters[1]")
    );
    assert_eq!(errors[0].line, line_of(&kiosk_text, "card-apply-minor"));
}

#[test]
fn catalog_path_comes_from_kiosk_toml() {
    let text = replace(
        KIOSK,
        "county = \"测试县\"\n",
        "county = \"测试县\"\ncatalog = \"county/matters.toml\"\n",
    );
    let parsed = TerminalConfig::parse(&text, KIOSK_FILE).unwrap();
    assert_eq!(parsed.catalog_path(), "county/matters.toml");
}

// ---------------------------------------------------------------------------------------
// devices.printer / printer_model (issue 4)
// ---------------------------------------------------------------------------------------

#[test]
fn the_printer_address_defaults_to_usblp_and_parses_every_transport() {
    let t = kiosk(KIOSK);
    assert_eq!(t.printer, PrinterAddress::DeviceFile("/dev/usb/lp0".into()));
    assert_eq!((t.printer_model.as_str(), t.printer_baud), ("80mm", 9600));
    for (text, want) in [
        (
            "lp:/dev/usb/lp1",
            PrinterAddress::DeviceFile("/dev/usb/lp1".into()),
        ),
        (
            "serial:/dev/ttyS1",
            PrinterAddress::Serial("/dev/ttyS1".into()),
        ),
        (
            "tcp:192.168.1.50:9100",
            PrinterAddress::Tcp("192.168.1.50:9100".into()),
        ),
        (
            "usb:0416:5011",
            PrinterAddress::Usb {
                vendor: 0x0416,
                product: 0x5011,
            },
        ),
    ] {
        let k = format!("{KIOSK}\n[devices]\nprinter = \"{text}\"\nprinter_model = \"58mm\"\n");
        let t = kiosk(&k);
        assert_eq!(t.printer, want);
        assert_eq!(t.printer_model, "58mm");
    }
}

#[test]
fn a_bad_printer_address_or_model_names_its_line() {
    for bad in [
        "/dev/usb/lp0",
        "lp:",
        "tcp:printer",
        "tcp:host:99999",
        "usb:416:5011",
        "usb:zzzz:0001",
        "ipp:host",
    ] {
        let text = format!("{KIOSK}\n[devices]\nprinter = \"{bad}\"\n");
        let e = one(
            &kiosk_errors(&text),
            KIOSK_FILE,
            line_of(&text, "printer ="),
            "devices.printer",
        );
        assert!(!e.message.is_empty(), "{bad}");
    }
    let text = format!("{KIOSK}\n[devices]\nprinter_model = \"tm-t20\"\n");
    let e = one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "printer_model"),
        "devices.printer_model",
    );
    assert!(e.message.contains("80mm"), "{e}");
}

// ---------------------------------------------------------------------------------------
// [backend] and [storage] (issue 5)
// ---------------------------------------------------------------------------------------

#[test]
fn the_backend_defaults_to_embedded_and_remote_needs_an_https_url_and_a_secret() {
    let t = kiosk(KIOSK);
    assert_eq!(t.backend_mode, kiosk_core::terminal::BackendMode::Embedded);
    assert_eq!(
        (t.storage_dir.as_str(), t.audit_days),
        ("/var/lib/kiosk", 90)
    );

    let text = format!("{KIOSK}\n[backend]\nmode = \"remote\"\n");
    let errors = kiosk_errors(&text);
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["backend.url", "backend.secret_file", "backend.ca_file"],
        "{errors:#?}"
    );

    let text = format!(
        "{KIOSK}\n[backend]\nmode = \"remote\"\nurl = \"http://county.example\"\nsecret_file = \"/etc/kiosk/t.secret\"\nca_file = \"/etc/kiosk/ca.pem\"\n"
    );
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "url ="),
        "backend.url",
    );

    let text = format!(
        "{KIOSK}\n[backend]\nmode = \"remote\"\nurl = \"https://county.example\"\nsecret_file = \"/etc/kiosk/t.secret\"\nca_file = \"/etc/kiosk/ca.pem\"\n"
    );
    let t = kiosk(&text);
    assert_eq!(t.backend_url.as_deref(), Some("https://county.example"));
}

#[test]
fn audit_days_are_1_to_3650() {
    let text = format!("{KIOSK}\n[storage]\naudit_days = 0\n");
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "audit_days"),
        "storage.audit_days",
    );
    let text = format!("{KIOSK}\n[storage]\ndir = \"/srv/kiosk\"\naudit_days = 30\n");
    let t = kiosk(&text);
    assert_eq!((t.storage_dir.as_str(), t.audit_days), ("/srv/kiosk", 30));
}

// ---------------------------------------------------------------------------------------
// [rating] and the rating pad (issue 6)
// ---------------------------------------------------------------------------------------

#[test]
fn rating_rules_out_of_range_name_their_line() {
    let text = format!("{KIOSK}\n[rating]\nfollow_up_days = 0\n");
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "follow_up_days"),
        "rating.follow_up_days",
    );
    let many: Vec<String> = (0..13).map(|i| format!("\"原因{i}\"")).collect();
    let text = format!("{KIOSK}\n[rating]\nreasons = [{}]\n", many.join(", "));
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "reasons"),
        "rating.reasons",
    );
    let text = format!("{KIOSK}\n[rating]\nreasons = [\"\"]\n");
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "reasons"),
        "rating.reasons",
    );
}

#[test]
fn a_bad_rating_pad_or_key_map_names_its_line() {
    let text = format!("{KIOSK}\n[devices]\nrating_pad = \"com3\"\n");
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "rating_pad"),
        "devices.rating_pad",
    );
    for keys in [
        "[\"1\", \"2\", \"3\", \"4\"]",
        "[\"1\", \"1\", \"3\", \"4\", \"5\"]",
    ] {
        let text = format!("{KIOSK}\n[devices]\nrating_keys = {keys}\n");
        one(
            &kiosk_errors(&text),
            KIOSK_FILE,
            line_of(&text, "rating_keys"),
            "devices.rating_keys",
        );
    }
}

#[test]
fn rating_settings_parse_with_the_countys_deadline_and_a_keyboard_pad() {
    let t = kiosk(&format!(
        "{KIOSK}\n[devices]\nsimulated = false\nrating_pad = \"keyboard\"\nrating_keys = [\"1\", \"2\", \"3\", \"4\", \"5\"]\n[rating]\nfollow_up_days = 15\nreasons = [\"等待太久\", \"其他\"]\n"
    ));
    assert_eq!(t.rating.follow_up_days, 15);
    assert_eq!(
        t.rating.reasons,
        vec!["等待太久".to_string(), "其他".into()]
    );
    assert_eq!(
        t.rating_pad,
        kiosk_core::terminal::RatingPadAddress::Keyboard
    );
    assert_eq!(t.rating_keys[0], "1");
    let d = kiosk(KIOSK);
    assert_eq!(d.rating.follow_up_days, 5);
    assert_eq!(
        d.rating.reasons.len(),
        kiosk_core::terminal::DEFAULT_RATING_REASONS.len()
    );
    assert_eq!(
        d.rating_pad,
        kiosk_core::terminal::RatingPadAddress::Simulated
    );
    let serial = kiosk(&format!(
        "{KIOSK}\n[devices]\nsimulated = false\nrating_pad = \"/dev/ttyUSB1\"\n"
    ));
    assert_eq!(
        serial.rating_pad,
        kiosk_core::terminal::RatingPadAddress::Serial("/dev/ttyUSB1".into())
    );
}

#[test]
fn a_bad_scanner_setting_names_its_line() {
    for (line, field) in [
        ("scanner = \"usb\"", "devices.scanner"),
        ("scanner_ids = [\"0c45-6366\"]", "devices.scanner_ids"),
        ("scanner_exclude = [\"0c45:63\"]", "devices.scanner_exclude"),
        ("scanner_page_top = \"up\"", "devices.scanner_page_top"),
    ] {
        let text = format!("{KIOSK}\n[devices]\n{line}\n");
        let key = line.split(' ').next().unwrap_or_default();
        one(&kiosk_errors(&text), KIOSK_FILE, line_of(&text, key), field);
    }
}

#[test]
fn the_scanner_is_simulated_with_simulated_devices_and_found_by_usb_id_otherwise() {
    use kiosk_core::terminal::ScannerAddress;
    assert_eq!(kiosk(KIOSK).scanner, ScannerAddress::Simulated);
    let real = kiosk(&format!(
        "{KIOSK}\n[devices]\nsimulated = false\nscanner_ids = [\"0C45:6366\"]\nscanner_exclude = [\"046d:0825\"]\nscanner_page_top = \"right\"\n"
    ));
    assert_eq!(
        real.scanner,
        ScannerAddress::Usb {
            ids: vec!["0c45:6366".into()],
            exclude: vec!["046d:0825".into()],
            page_top: "right".into(),
        }
    );
    let none = kiosk(&format!(
        "{KIOSK}\n[devices]\nsimulated = false\nscanner = \"none\"\n"
    ));
    assert_eq!(none.scanner, ScannerAddress::None);
    let sim = kiosk(&format!(
        "{KIOSK}\n[devices]\nsimulated = false\nscanner = \"sim\"\n"
    ));
    assert_eq!(sim.scanner, ScannerAddress::Simulated);
}

// ---------------------------------------------------------------------------------------
// [ops]: the management endpoint (issue 8)
// ---------------------------------------------------------------------------------------

#[test]
fn ops_defaults_to_loopback_9100_enabled_with_a_generated_token() {
    let t = kiosk(KIOSK);
    assert!(t.ops.enabled);
    assert_eq!(
        t.ops.listen,
        kiosk_core::terminal::DEFAULT_OPS_LISTEN
            .parse::<std::net::SocketAddr>()
            .unwrap()
    );
    assert_eq!(t.ops.token_file, None);
    let t = kiosk(&format!(
        "{KIOSK}\n[ops]\nenabled = false\nlisten = \"0.0.0.0:9200\"\ntoken_file = \"/etc/kiosk/ops.token\"\n"
    ));
    assert!(!t.ops.enabled);
    assert_eq!(t.ops.listen.to_string(), "0.0.0.0:9200");
    assert_eq!(t.ops.token_file.as_deref(), Some("/etc/kiosk/ops.token"));
}

#[test]
fn a_bad_ops_address_or_empty_token_file_names_its_line() {
    for listen in ["localhost:9100", "127.0.0.1", "127.0.0.1:99999", ""] {
        let text = format!("{KIOSK}\n[ops]\nlisten = \"{listen}\"\n");
        one(
            &kiosk_errors(&text),
            KIOSK_FILE,
            line_of(&text, "listen ="),
            "ops.listen",
        );
    }
    let text = format!("{KIOSK}\n[ops]\ntoken_file = \" \"\n");
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "token_file"),
        "ops.token_file",
    );
    let text = format!("{KIOSK}\n[ops]\ntoken = \"secret\"\n");
    one(
        &kiosk_errors(&text),
        KIOSK_FILE,
        line_of(&text, "token ="),
        "ops.token",
    );
}
