//! `s3lint server` driven over stdio with LSP messages, as an editor drives it: initialize, open, change, hover,
//! completion, code actions, shutdown and exit.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

use common::*;

/// How long any answer may take.
const WAIT: Duration = Duration::from_secs(30);

/// A language-server client speaking to the real binary.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `s3lint server` from `cwd` and completes the handshake with `capabilities`; returns the client and
    /// the server's `initialize` result.
    fn start(cwd: &std::path::Path, capabilities: Value) -> (Client, Value) {
        let mut child = Command::new(binary())
            .arg("server")
            .current_dir(cwd)
            .env_remove("HADOOP_CONF_DIR")
            .env_remove("HADOOP_CLASSPATH")
            .env_remove("SPARK_CONF_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start s3lint server");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut stdout) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client { child, stdin, messages, next_id: 1 };
        let root = file_uri(cwd);
        let result =
            client.request("initialize", json!({"processId": null, "rootUri": root, "capabilities": capabilities}));
        client.notify("initialized", json!({}));
        (client, result)
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write to the server");
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its result (panics on an error response).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.wait_for(|m| m["id"] == json!(id));
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next message that `wanted` accepts (others are skipped).
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self.messages.recv_timeout(WAIT).expect("the server answers in time");
            if wanted(&message) {
                return message;
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let m = self.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
        m["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// `shutdown`, `exit`, and the process's exit status.
    fn stop(mut self) -> Option<i32> {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        drop(self.stdin);
        for _ in 0..300 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("the server did not exit after `exit`");
    }
}

/// One framed message from the server.
fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn file_uri(path: &std::path::Path) -> String {
    let path = std::fs::canonicalize(path).unwrap();
    let mut out = String::from("file://");
    for b in path.to_str().unwrap().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The line and UTF-16 / UTF-8 column of the first `needle` in `text`.
fn locate(text: &str, needle: &str) -> (u64, u64, u64) {
    let at = text.find(needle).unwrap();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count() as u64;
    let before = &text[line_start..at];
    (line, before.encode_utf16().count() as u64, before.len() as u64)
}

const TYPOS: &str = "fixtures/check/hadoop-s3a-key-typos/etc/hadoop/core-site.xml";
const MISSPELT: &str = "fs.s3a.connection.maxium";

/// The typos fixture with non-ASCII text (2-byte `é`, a 4-byte, 2-unit `𝄞`) before the misspelt key on its line.
fn typos_with_non_ascii() -> String {
    let text = std::fs::read_to_string(root().join(TYPOS)).unwrap();
    text.replace(&format!("<name>{MISSPELT}</name>"), &format!("<!-- café 𝄞 --><name>{MISSPELT}</name>"))
}

fn open(client: &mut Client, uri: &str, text: &str) -> Vec<Value> {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}}),
    );
    client.diagnostics(uri)
}

fn misspelt_diagnostic(diagnostics: &[Value]) -> Option<Value> {
    diagnostics.iter().find(|d| d["message"].as_str().unwrap_or("").contains(&format!("`{MISSPELT}`"))).cloned()
}

#[test]
fn diagnostics_code_actions_hover_and_completion_over_stdio() {
    let (mut client, init) = Client::start(&root(), json!({}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16", "{init}");
    let uri = file_uri(&root().join(TYPOS));
    let text = typos_with_non_ascii();
    let diagnostics = open(&mut client, &uri, &text);

    // The misspelt key: its rule, its range in UTF-16 units (past `café 𝄞`), its docs page.
    let d = misspelt_diagnostic(&diagnostics).unwrap_or_else(|| panic!("{diagnostics:#?}"));
    let (line, utf16, utf8) = locate(&text, MISSPELT);
    assert_ne!(utf16, utf8, "the line has non-ASCII text before the key");
    assert_eq!(d["range"]["start"], json!({"line": line, "character": utf16}), "{d}");
    assert_eq!(d["range"]["end"], json!({"line": line, "character": utf16 + MISSPELT.len() as u64}), "{d}");
    assert_eq!((line, utf16), (21, 26));
    assert_eq!(d["code"], "unknown-key");
    assert_eq!(d["severity"], 2, "warning");
    assert_eq!(d["source"], "s3lint");
    let href = d["codeDescription"]["href"].as_str().unwrap();
    assert!(href.ends_with("/blob/main/docs/rules/unknown-key.md"), "{href}");
    assert!(root().join("docs/rules/unknown-key.md").is_file());
    assert!(d["message"].as_str().unwrap().contains("did you mean `fs.s3a.connection.maximum`?"), "{d}");

    // Its quick fix: the suggestion over the key's span.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let fix = actions.as_array().unwrap().iter().find(|a| a["diagnostics"][0]["code"] == "unknown-key").expect("a fix");
    assert_eq!(fix["kind"], "quickfix");
    let edits = &fix["edit"]["changes"][&uri];
    assert_eq!(edits, &json!([{"range": d["range"], "newText": "fs.s3a.connection.maximum"}]), "{fix}");

    // The edit applied (as the client does, through didChange with a range): the finding is gone.
    let change = json!({"range": d["range"], "text": "fs.s3a.connection.maximum"});
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [change]}),
    );
    let after = client.diagnostics(&uri);
    assert!(misspelt_diagnostic(&after).is_none(), "{after:#?}");
    assert_eq!(after.len(), diagnostics.len() - 1, "no other finding appears or goes: {after:#?}");

    // Hover on the corrected key (after the non-ASCII text): what rules/keys.yaml says of it.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": utf16 + 5}}),
    );
    let value = hover["contents"]["value"].as_str().unwrap_or_else(|| panic!("{hover}"));
    for part in
        ["`fs.s3a.connection.maximum`", "**type**: `int`", "**default**: `500`", "before Hadoop 3.4", "`96`", "CD350"]
    {
        assert!(value.contains(part), "{part} in {value}");
    }
    assert_eq!(hover["range"]["start"], json!({"line": line, "character": utf16}));

    // Completion of a key being typed on a new line.
    let typed = "<property><name>fs.s3a.endp";
    let full = format!("{typed}\n{}", text.replace(MISSPELT, "fs.s3a.connection.maximum"));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": full}]}),
    );
    client.diagnostics(&uri);
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": typed.len()}}),
    );
    let items = items.as_array().unwrap();
    let endpoint = items.iter().find(|i| i["label"] == "fs.s3a.endpoint").unwrap_or_else(|| panic!("{items:?}"));
    let start = typed.find("fs.s3a").unwrap();
    assert_eq!(endpoint["textEdit"]["range"]["start"], json!({"line": 0, "character": start}));
    assert!(items.iter().all(|i| i["label"].as_str().unwrap().starts_with("fs.s3a.endp")), "{items:?}");

    assert_eq!(client.stop(), Some(0));
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let (mut client, init) = Client::start(&root(), json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let uri = file_uri(&root().join(TYPOS));
    let text = typos_with_non_ascii();
    let d = misspelt_diagnostic(&open(&mut client, &uri, &text)).expect("the misspelt key");
    let (line, _, utf8) = locate(&text, MISSPELT);
    assert_eq!(d["range"]["start"], json!({"line": line, "character": utf8}));
    assert_eq!(utf8, 29);
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_flink_buffer_is_checked_in_its_home_with_its_unsaved_text() {
    let conf = root().join("fixtures/check/flink-1.20-renamed-and-misspelt-keys/flink-1.20.0/conf/config.yaml");
    let (mut client, _) = Client::start(&root(), json!({}));
    let uri = file_uri(&conf);
    // A key typed but not saved, and a secret the user pasted: checked with the home's jars (Flink 1.20).
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let text = format!(
        "{}\ns3.secret-key: {secret}\ns3.endpiont: http://minio:9000\n",
        std::fs::read_to_string(&conf).unwrap()
    );
    let diagnostics = open(&mut client, &uri, &text);
    let all = serde_json::to_string(&diagnostics).unwrap();
    assert!(!all.contains(secret) && !all.contains(&secret[4..20]), "{all}");
    let typo =
        diagnostics.iter().find(|d| d["message"].as_str().unwrap().contains("`s3.endpiont`")).expect("the new typo");
    assert_eq!(typo["code"], "unknown-key");
    assert_eq!(typo["range"]["start"]["line"], text.lines().count() as u64 - 1);
    // The deployment's jars decide the version: the renamed keys of this home are reported, as `check` does.
    assert!(diagnostics.iter().any(|d| d["code"] == "deprecated-key"), "{all}");
    let secret_line = text.lines().count() as u64 - 2;
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": secret_line, "character": 20}}),
    );
    assert!(!hover.to_string().contains(secret), "{hover}");
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_malformed_buffer_is_one_could_not_check_error_at_its_place() {
    let (mut client, _) = Client::start(&root(), json!({}));
    let uri = file_uri(&root().join(TYPOS));
    let diagnostics = open(&mut client, &uri, "<configuration>\n  <property><name>x</name>\n</configuration>\n");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "could-not-check");
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 2, "{diagnostics:#?}");
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_manifest_and_a_dockerfile_are_checked_as_code_with_their_unsaved_text() {
    let (mut client, _) = Client::start(&root(), json!({}));
    // A FlinkDeployment being edited: a key misspelt and a literal secret, neither saved.
    let manifest = root().join("fixtures/check/code-flinkdeployment-1.17-clean/k8s/orders-aggregator.yaml");
    let uri = file_uri(&manifest);
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let text = std::fs::read_to_string(&manifest).unwrap().replace(
        "    s3.endpoint: https://s3.eu-west-1.amazonaws.com\n",
        &format!(
            "    s3.endpoint: https://s3.eu-west-1.amazonaws.com\n    s3.endpiont: x\n    s3.secret-key: {secret}\n"
        ),
    );
    let diagnostics = open(&mut client, &uri, &text);
    let all = serde_json::to_string(&diagnostics).unwrap();
    assert!(!all.contains(secret) && !all.contains(&secret[4..20]), "{all}");
    let (line, character, _) = locate(&text, "s3.endpiont");
    let typo = diagnostics.iter().find(|d| d["code"] == "unknown-key").unwrap_or_else(|| panic!("{all}"));
    assert_eq!(typo["range"]["start"], json!({"line": line, "character": character}), "{typo}");
    assert!(diagnostics.iter().any(|d| d["code"] == "plaintext-credentials"), "{all}");
    // Its quick fix renames the key in the manifest.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": typo["range"], "context": {"diagnostics": [typo]}}),
    );
    let edits = &actions[0]["edit"]["changes"][&uri];
    assert_eq!(edits[0]["newText"], "s3.endpoint", "{actions}");

    // A Dockerfile that copies the S3 plugin into lib/: the finding is at the RUN line of the buffer.
    let dockerfile = root().join("fixtures/check/code-flink-1.18-dockerfile-multistage-clean/Dockerfile");
    let uri = file_uri(&dockerfile);
    let text =
        format!("{}RUN cp ./opt/flink-s3-fs-presto-1.18.1.jar ./lib/\n", std::fs::read_to_string(&dockerfile).unwrap());
    let diagnostics = open(&mut client, &uri, &text);
    let layout =
        diagnostics.iter().find(|d| d["code"] == "s3-plugin-layout").unwrap_or_else(|| panic!("{diagnostics:#?}"));
    assert_eq!(layout["range"]["start"]["line"], text.lines().count() as u64 - 1, "{layout}");
    assert_eq!(client.stop(), Some(0));
}
