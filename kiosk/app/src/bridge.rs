//! Projects the session state onto the Slint globals. The UI is a pure function of the
//! session: after every event the controller calls [`project`], which writes the adapter
//! global of the screen on show plus the shared frame. No business rule lives here or in
//! the `.slint` files; the texts a citizen reads are chosen here from the core's state.

use crate::qr;
use crate::ui::*;
use kiosk_core::catalog::{FlowKind, Matter, PrintNeed, Service};
use kiosk_core::session::{
    CardReadFailure, Device, ErrorKind, IdentifyRole, IdentifyStatus, ListSource, QueryOutcome,
    RECEIPT_NO_MIN, Screen, ScreenKind, Session,
};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

fn rows(pairs: &[(String, String)]) -> ModelRc<Row> {
    model(
        pairs
            .iter()
            .map(|(l, v)| Row {
                label: l.into(),
                value: v.into(),
            })
            .collect(),
    )
}

fn item(m: &Matter) -> MatterItem {
    MatterItem {
        id: m.id.as_str().into(),
        name: m.name.as_str().into(),
        department: m.department.as_str().into(),
        flow_label: m.flow.label().into(),
        self_service: m.service.is_some(),
    }
}

fn screen_id(kind: ScreenKind) -> ScreenId {
    match kind {
        ScreenKind::Attract => ScreenId::Attract,
        ScreenKind::Home => ScreenId::Home,
        ScreenKind::MatterList => ScreenId::MatterList,
        ScreenKind::Guide => ScreenId::Guide,
        ScreenKind::Identify => ScreenId::Identify,
        ScreenKind::ReceiptEntry => ScreenId::ReceiptEntry,
        ScreenKind::Form => ScreenId::Form,
        ScreenKind::Capture => ScreenId::Capture,
        ScreenKind::Review => ScreenId::Review,
        ScreenKind::Submitting => ScreenId::Submitting,
        ScreenKind::Result => ScreenId::Result,
        ScreenKind::Receipt => ScreenId::Receipt,
        ScreenKind::Rating => ScreenId::Rating,
        ScreenKind::RatingDetail => ScreenId::RatingDetail,
        ScreenKind::Help => ScreenId::Help,
        ScreenKind::DeviceUnavailable => ScreenId::DeviceUnavailable,
        ScreenKind::Error => ScreenId::Error,
        // the countdown is an overlay over the screen it interrupted
        ScreenKind::TimeoutWarning => ScreenId::Attract,
    }
}

/// Sets the terminal's fixed texts (name, county, hot matters, categories). Call once.
pub fn project_static(app: &AppWindow, session: &Session) {
    let setup = session.setup();
    let state = app.global::<AppState>();
    state.set_terminal_name(setup.terminal.name.as_str().into());
    state.set_county(setup.terminal.county.as_str().into());
    let hot: Vec<MatterItem> = setup.hot().into_iter().map(item).collect();
    app.global::<AttractAdapter>()
        .set_hot_matters(model(hot.clone()));
    let home = app.global::<HomeAdapter>();
    home.set_hot_matters(model(hot));
    home.set_progress_matter(
        setup
            .catalog
            .progress_matter_id()
            .filter(|id| setup.offered(id).is_some())
            .map(|id| id.as_str())
            .unwrap_or_default()
            .into(),
    );
    let tiles = kiosk_core::catalog::Category::ALL
        .iter()
        .map(|c| CategoryTile {
            id: c.id().into(),
            name: c.label().into(),
            count: setup.in_category(*c).len() as i32,
        })
        .filter(|t| t.count > 0)
        .collect();
    home.set_categories(model(tiles));
    app.global::<HelpAdapter>()
        .set_hotline(setup.terminal.hotline.as_str().into());
}

/// Writes the current screen and the shared frame.
pub fn project(app: &AppWindow, session: &Session) {
    let state = app.global::<AppState>();
    let (screen, countdown) = match session.screen() {
        Screen::TimeoutWarning(under, _) => (under.as_ref(), session.countdown_seconds()),
        s => (s, None),
    };
    state.set_countdown_visible(countdown.is_some());
    state.set_can_go_home(session.can_go_home());
    state.set_countdown_seconds(countdown.unwrap_or(0) as i32);
    state.set_step_text(match session.step() {
        Some((n, total)) => format!("第 {n} 步，共 {total} 步").into(),
        None => SharedString::new(),
    });
    project_screen(app, session, screen);
    state.set_screen(screen_id(screen.kind()));
}

fn project_screen(app: &AppWindow, session: &Session, screen: &Screen) {
    let setup = session.setup();
    let matter = screen.matter().and_then(|id| setup.catalog.get(id));
    let matter_name: SharedString = matter.map(|m| m.name.as_str()).unwrap_or_default().into();
    match screen {
        Screen::Attract | Screen::Home => {}
        Screen::MatterList(source) => {
            let list = app.global::<ListAdapter>();
            let (title, searching, query, items) = match source {
                ListSource::Category(c) => (
                    c.label().to_string(),
                    false,
                    String::new(),
                    setup.in_category(*c),
                ),
                ListSource::Search(q) => (
                    "搜索事项".to_string(),
                    true,
                    q.to_uppercase(),
                    setup.search(q),
                ),
            };
            list.set_title(title.into());
            list.set_searching(searching);
            list.set_query(query.into());
            list.set_empty_text(
                if searching && source == &ListSource::Search(String::new()) {
                    "请用下方字母键输入拼音首字母".into()
                } else {
                    "没有找到相关事项，可点击“帮助”咨询工作人员".into()
                },
            );
            list.set_items(model(items.into_iter().map(item).collect()));
        }
        Screen::Guide(_) => {
            let Some(m) = matter else { return };
            let guide = app.global::<GuideAdapter>();
            guide.set_name(m.name.as_str().into());
            guide.set_code(
                m.code
                    .as_deref()
                    .map(|c| format!("事项编码 {c}"))
                    .unwrap_or_default()
                    .into(),
            );
            guide.set_department(m.department.as_str().into());
            guide.set_handling(format!("本级{}", m.handling.label()).into());
            guide.set_sample(m.guide.sample);
            guide.set_sections(model(
                m.guide
                    .sections()
                    .into_iter()
                    .map(|(t, b)| GuideSection {
                        title: t.into(),
                        body: b.into(),
                    })
                    .collect(),
            ));
            let progress = m.service == Some(Service::ProgressLookup);
            // 进度查询 links to the county's progress page; other matters to their online guide
            let (url, caption) = if progress {
                (
                    setup.terminal.progress_url.replace("{no}", ""),
                    "扫码用手机查询进度",
                )
            } else {
                (
                    setup
                        .terminal
                        .online_url
                        .replace("{id}", m.id.as_str())
                        .replace("{code}", m.code.as_deref().unwrap_or(m.id.as_str())),
                    "扫码在线办理",
                )
            };
            if let Some(image) = qr::image(&url, 6) {
                guide.set_qr(image);
            }
            guide.set_qr_caption(caption.into());
            guide.set_can_self_serve(m.service.is_some());
            guide.set_can_enter_number(progress);
            guide.set_action_label(
                if progress {
                    "刷身份证查询"
                } else if m.flow == FlowKind::Query {
                    "开始查询"
                } else {
                    "开始办理"
                }
                .into(),
            );
            guide.set_notice(session.notice().unwrap_or_default().into());
        }
        Screen::Identify(_, status) => {
            let identify = app.global::<IdentifyAdapter>();
            identify.set_matter_name(matter_name);
            let (text, error) = match (status, session.identify_role()) {
                (IdentifyStatus::SameCard, _) => {
                    ("这是监护人的身份证。请拿开，换放未成年人的身份证", true)
                }
                (IdentifyStatus::Waiting, IdentifyRole::Guardian) => {
                    ("第一步：请监护人将本人身份证放在感应区", false)
                }
                (IdentifyStatus::Waiting, IdentifyRole::Minor) => (
                    "监护人身份已读取。第二步：请拿开监护人的身份证，放上未成年人的身份证",
                    false,
                ),
                (IdentifyStatus::Waiting, IdentifyRole::Applicant) => {
                    ("请将身份证放在感应区", false)
                }
                (IdentifyStatus::Reading, _) => ("正在读取，请不要移动身份证", false),
                (IdentifyStatus::Retry(CardReadFailure::CardMoved), _) => {
                    ("未能读取，请重新放置身份证，放稳不要移动", true)
                }
                (IdentifyStatus::Retry(CardReadFailure::Unreadable), _) => {
                    ("无法识别此证件，请重新放置身份证", true)
                }
            };
            identify.set_status(text.into());
            identify.set_error(error);
            identify.set_reading(!error);
            identify.set_notice("读取身份证信息仅用于本次办理，办理结束后立即清除。".into());
        }
        Screen::ReceiptEntry(_, number) => {
            let entry = app.global::<ReceiptEntryAdapter>();
            entry.set_number(number.as_str().into());
            entry.set_can_query(number.len() >= RECEIPT_NO_MIN);
        }
        Screen::Form(_) => {
            let form = app.global::<FormAdapter>();
            form.set_matter_name(matter_name);
            form.set_phone(session.form().phone.as_str().into());
            let errors = session.form_errors();
            form.set_phone_error(errors.phone.clone().unwrap_or_default().into());
            form.set_choice_error(errors.choice.clone().unwrap_or_default().into());
            if let Some(spec) = session.form_spec() {
                form.set_choice_title(spec.choice_title.into());
                form.set_choices(model(
                    spec.choices
                        .iter()
                        .map(|c| SharedString::from(*c))
                        .collect(),
                ));
            }
            form.set_selected(session.form().choice.map_or(-1, |c| c as i32));
        }
        Screen::Capture(_) => project_capture(app, session, matter_name),
        Screen::Review(_) => {
            let review = app.global::<ReviewAdapter>();
            review.set_matter_name(matter_name.clone());
            let mut pairs = vec![("办理事项".to_string(), matter_name.to_string())];
            if let Some(identity) = session.identity() {
                pairs.push(("申请人".into(), identity.name.masked()));
                pairs.push(("身份证号".into(), identity.id_number.masked()));
            }
            if let Some(guardian) = session.guardian() {
                pairs.push(("监护人".into(), guardian.name.masked()));
                pairs.push(("监护人身份证号".into(), guardian.id_number.masked()));
            }
            if let Some(spec) = session.form_spec() {
                pairs.extend(spec.summary(session.form()));
            }
            let slots = session.capture_slots();
            if !slots.is_empty() {
                let captures = session.captures();
                let text = slots
                    .iter()
                    .enumerate()
                    .map(|(i, s)| match captures.pages(i).len() {
                        0 => format!("{}：未拍摄", s.material),
                        n => format!("{}：{n} 页", s.material),
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                pairs.push(("拍摄材料".into(), text));
            }
            review.set_rows(rows(&pairs));
        }
        Screen::Submitting(..) => {
            let s = app.global::<SubmittingAdapter>();
            s.set_matter_name(matter_name);
            s.set_message(
                if matter.is_some_and(|m| m.flow == FlowKind::Query) {
                    "正在查询，请稍候…"
                } else {
                    "正在提交，请稍候…"
                }
                .into(),
            );
        }
        Screen::Result(_, outcome) => {
            let r = app.global::<ResultAdapter>();
            r.set_title(outcome.title.as_str().into());
            r.set_matter_name(matter_name);
            r.set_rows(rows(&result_rows(outcome)));
            r.set_note(outcome.note.as_str().into());
            let qr = rating_qr(session, matter);
            r.set_has_rating_qr(qr.is_some());
            r.set_rating_qr(qr.unwrap_or_default());
            r.set_print_status(session.print_status().unwrap_or_default().into());
            r.set_print_failed(session.print_failed());
        }
        Screen::Receipt(_, acceptance) => {
            let r = app.global::<ReceiptAdapter>();
            r.set_title(
                if acceptance.queued {
                    "已受理（网络恢复后自动上传）"
                } else {
                    "已提交"
                }
                .into(),
            );
            r.set_matter_name(matter_name.clone());
            r.set_receipt_no(acceptance.receipt_no.as_str().into());
            let qr = rating_qr(session, matter);
            r.set_has_rating_qr(qr.is_some());
            r.set_rating_qr(qr.unwrap_or_default());
            let mut pairs = vec![("办理事项".to_string(), matter_name.to_string())];
            if let Some(identity) = session.identity() {
                pairs.push(("申请人".into(), identity.name.masked()));
                pairs.push(("身份证号".into(), identity.id_number.masked()));
            }
            r.set_rows(rows(&pairs));
            r.set_next_steps(
                "请妥善保管回执。可凭受理编号在本终端“进度查询”或拨打热线查询办理进度；审核结果将以短信通知。".into(),
            );
            r.set_print_status(session.print_status().unwrap_or_default().into());
            r.set_print_failed(session.print_failed());
        }
        Screen::Rating(_) => {
            let r = app.global::<RatingAdapter>();
            r.set_matter_name(matter_name);
            r.set_chosen(session.rated().map_or(0, |l| l as i32));
            let days = setup.terminal.rating.follow_up_days;
            r.set_thanks(
                session
                    .rated()
                    .map(|l| {
                        if l.is_poor() {
                            format!(
                                "感谢您的评价：{}。我们会认真核实整改，{days} 个工作日内答复。即将返回首页。",
                                l.label()
                            )
                        } else {
                            format!("感谢您的评价：{}。即将返回首页。", l.label())
                        }
                    })
                    .unwrap_or_default()
                    .into(),
            );
        }
        Screen::RatingDetail(_, level) => {
            let d = app.global::<RatingDetailAdapter>();
            let draft = session.poor_rating();
            let rules = &setup.terminal.rating;
            d.set_matter_name(matter_name);
            d.set_level_label(level.label().into());
            d.set_reasons(model(
                rules
                    .reasons
                    .iter()
                    .enumerate()
                    .map(|(i, text)| ReasonItem {
                        text: text.as_str().into(),
                        chosen: draft.reasons.contains(&i),
                    })
                    .collect(),
            ));
            d.set_callback(draft.callback);
            d.set_phone(draft.phone.as_str().into());
            d.set_error(draft.error.clone().unwrap_or_default().into());
            d.set_deadline(
                format!(
                    "同意回访的，工作人员将在 {} 个工作日内与您联系并答复。号码只用于本次回访。",
                    rules.follow_up_days
                )
                .into(),
            );
        }
        Screen::Help(under) => {
            let h = app.global::<HelpAdapter>();
            h.set_body(help_text(under).into());
            h.set_staff_called(session.staff_called());
        }
        Screen::DeviceUnavailable(device, matter) => {
            let d = app.global::<DeviceAdapter>();
            d.set_can_continue(session.can_continue_without_print());
            d.set_can_print_notice(*device == Device::Scanner && matter.is_some());
            d.set_print_status(session.print_status().unwrap_or_default().into());
            let need = matter.as_ref().and_then(|m| session.print_need(m));
            let (title, message, advice) = match (device, need) {
                (Device::Printer, Some(PrintNeed::Receipt)) => (
                    "打印机暂时无法使用",
                    "本事项办完后要打印办件回执，但打印机现在缺纸或出现故障。",
                    "您可以继续办理：受理编号会显示在屏幕上，请记下或拍照保存。也可以点击“帮助”呼叫工作人员，或到人工窗口办理。",
                ),
                (Device::Printer, Some(PrintNeed::Essential)) => (
                    "打印机暂时无法使用",
                    "本事项需要打印纸质材料，打印机现在缺纸或出现故障，暂时无法办理。",
                    "请点击“帮助”呼叫工作人员，或到人工窗口办理；换好纸后本终端会自动恢复。",
                ),
                (Device::CardReader, _) => (
                    "身份证读卡器暂时无法使用",
                    "读卡器出现故障，本终端暂时无法核验身份，需要身份证的事项暂停办理。",
                    "您仍可查看办事指南、打印告知单；或点击“帮助”呼叫工作人员，也可到人工窗口办理。",
                ),
                (Device::Scanner, _) => (
                    "高拍仪暂时无法使用",
                    "本事项需要在终端上拍摄申请材料，高拍仪现在没有连接或出现故障。",
                    "请点“打印一次性告知单”，带上材料到人工窗口办理；或点“帮助”呼叫工作人员。高拍仪恢复后本页会自动继续。",
                ),
                (Device::Printer, _) => (
                    "打印机暂时无法使用",
                    "打印机缺纸或出现故障，本终端暂时无法打印。",
                    "您仍可查看办事指南和查询信息；需要纸质材料请到人工窗口办理。",
                ),
            };
            d.set_title(title.into());
            d.set_message(message.into());
            d.set_advice(advice.into());
        }
        Screen::Error(kind, _) => {
            let e = app.global::<ErrorAdapter>();
            let (title, message, advice, retry) = match kind {
                ErrorKind::BackendUnreachable => (
                    "暂时无法连接业务系统".to_string(),
                    "网络或业务系统暂时中断，查询需要联网，现在无法完成。".to_string(),
                    "您可以稍后重试，或点击“打印告知单”，带上所需材料到窗口办理。".to_string(),
                    true,
                ),
                ErrorKind::Rejected(why) => (
                    "业务系统未能受理".to_string(),
                    why.clone(),
                    "请点击“帮助”咨询工作人员，或到人工窗口办理。".to_string(),
                    true,
                ),
                ErrorKind::MatterUnavailable => (
                    "本终端暂不提供此事项".to_string(),
                    "该事项不在本终端的服务清单中。".to_string(),
                    "请返回首页选择其他事项，或到便民服务中心窗口办理。".to_string(),
                    false,
                ),
            };
            e.set_title(title.into());
            e.set_message(message.into());
            e.set_advice(advice.into());
            e.set_can_retry(retry);
            e.set_can_print_notice(
                matches!(kind, ErrorKind::BackendUnreachable)
                    && session.screen().matter().is_some(),
            );
            e.set_print_status(session.print_status().unwrap_or_default().into());
        }
        Screen::TimeoutWarning(under, _) => project_screen(app, session, under),
    }
}

/// Empties every adapter that may hold something of the citizen (masked or not), so that
/// after a wipe nothing of the last person remains in the UI tree.
pub fn clear_personal(app: &AppWindow) {
    let empty_rows = || rows(&[]);
    app.global::<ReviewAdapter>().set_rows(empty_rows());
    app.global::<ReviewAdapter>().set_has_photo(false);
    app.global::<ReviewAdapter>()
        .set_photo(slint::Image::default());
    let result = app.global::<ResultAdapter>();
    result.set_rows(empty_rows());
    result.set_title(SharedString::new());
    result.set_note(SharedString::new());
    let receipt = app.global::<ReceiptAdapter>();
    receipt.set_rows(empty_rows());
    receipt.set_receipt_no(SharedString::new());
    let form = app.global::<FormAdapter>();
    form.set_phone(SharedString::new());
    form.set_selected(-1);
    form.set_phone_error(SharedString::new());
    form.set_choice_error(SharedString::new());
    app.global::<RatingAdapter>().set_chosen(0);
    app.global::<RatingAdapter>()
        .set_thanks(SharedString::new());
    app.global::<HelpAdapter>().set_staff_called(false);
    let capture = app.global::<CaptureAdapter>();
    capture.set_pages(model(Vec::new()));
    capture.set_preview(slint::Image::default());
    capture.set_has_preview(false);
    capture.set_status(SharedString::new());
}

/// The capture screen's texts and buttons (the pictures come from the controller, which
/// holds them).
fn project_capture(app: &AppWindow, session: &Session, matter_name: SharedString) {
    use kiosk_core::capture::CaptureStatus;
    let c = app.global::<CaptureAdapter>();
    c.set_matter_name(matter_name);
    let slots = session.capture_slots();
    let captures = session.captures();
    c.set_slots(model(
        slots
            .iter()
            .enumerate()
            .map(|(i, s)| CaptureSlot {
                material: s.material.as_str().into(),
                required: s.required,
                pages: captures.pages(i).len() as i32,
                max_pages: i32::from(s.max_pages),
            })
            .collect(),
    ));
    let selected = captures.selected();
    c.set_selected(selected as i32);
    let slot = slots.get(selected);
    c.set_hint(
        slot.map(|s| format!("请拍摄“{}”：{}，然后点“拍摄”。", s.material, s.kind.hint()))
            .unwrap_or_default()
            .into(),
    );
    let (status, kind) = match captures.status() {
        CaptureStatus::Ready => (String::new(), "info"),
        CaptureStatus::Taking => ("正在拍摄，请不要移动材料…".to_string(), "info"),
        CaptureStatus::Taken => {
            let n = captures.pages(selected).len();
            let more = slot.is_some_and(|s| n < usize::from(s.max_pages));
            let next = if more {
                "还有下一页请换页后再点“拍摄”；拍好了请点“下一步”。"
            } else {
                "请点“下一步”。"
            };
            (format!("已拍好第 {n} 页。{next}"), "success")
        }
        CaptureStatus::Rejected(why) => (why, "danger"),
        CaptureStatus::CameraFailed => (
            "高拍仪没有拍到画面，请稍后再点“拍摄”；仍不行请点“帮助”。".to_string(),
            "danger",
        ),
    };
    c.set_status(status.into());
    c.set_status_kind(kind.into());
    c.set_taking(captures.taking());
    c.set_can_take(captures.can_take(slots));
    c.set_can_retake(captures.can_retake());
    c.set_page_count(format!("已拍 {} 页", captures.total_pages()).into());
}

/// The online-rating QR of the 办件 on screen (`rating.online_url`).
fn rating_qr(session: &Session, matter: Option<&Matter>) -> Option<slint::Image> {
    let (m, case) = (matter?, session.case_ref()?);
    let url = crate::receipts::rating_url(session.setup(), m, case);
    qr::image(&url, 5)
}

/// The result's rows, with a certificate's number and verification code at the end.
fn result_rows(outcome: &QueryOutcome) -> Vec<(String, String)> {
    let mut pairs = outcome.rows.clone();
    if let Some(c) = &outcome.certificate {
        pairs.push(("证明编号".into(), c.number.clone()));
        pairs.push(("验证码".into(), c.code.clone()));
    }
    pairs
}

fn help_text(under: &Screen) -> String {
    let specific = match under.kind() {
        ScreenKind::Identify => "请将身份证平放在屏幕下方的感应区，听到“读卡成功”再拿开。",
        ScreenKind::Form => "请用数字键输入您的手机号码，再点选一个选项，然后点“下一步”。",
        ScreenKind::Capture => {
            "先点上方的材料名称，把这份材料正面朝上平放在高拍仪下的拍摄区，看屏幕上的画面摆正，再点“拍摄”。拍得不清楚可点“重拍”。有几页就拍几页，都拍好后点“下一步”。"
        }
        ScreenKind::ReceiptEntry => {
            "请对照办件回执，逐个点击受理编号的数字和字母，然后点“查询”。没有回执也可以返回，选择“刷身份证查询”。"
        }
        ScreenKind::MatterList => "点击字母键输入事项名称的拼音首字母，例如养老保险输入 YLBX。",
        ScreenKind::Guide => {
            "本页是办事指南。能在本机办理的事项，点“开始办理”；其他事项可打印告知单到窗口办理。"
        }
        _ => "点击屏幕上的大按钮即可操作。每一页下方都有“返回首页”。",
    };
    format!(
        "{specific}\n\n如需人工帮助，请点击“呼叫工作人员”，工作人员会尽快过来。夜间无人值守时，请拨打服务热线。\n\n长时间不操作，终端会自动返回首页并清除您的信息。"
    )
}
