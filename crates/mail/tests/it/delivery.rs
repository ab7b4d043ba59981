//! Delivery through a real SMTP exchange (a small SMTP server in the test)
//! and to files, on the test database backend.

use maillage_db::outbox::{self, NewMail, Status};
use maillage_db::testing::TestDb;
use maillage_db::{PageRequest, now};
use maillage_mail::{MailConfig, Worker};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A minimal SMTP server: accepts everything except recipients starting
/// with "refused" (550, permanent) or "later" (451, transient).
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (r, mut w) = socket.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut in_data = false;
                let mut data = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            store.lock().unwrap().push(std::mem::take(&mut data));
                            w.write_all(b"250 OK queued\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:<REFUSED") {
                        b"550 5.1.1 No such user\r\n"
                    } else if upper.starts_with("RCPT TO:<LATER") {
                        b"451 4.3.0 Try again later\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 Go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        w.write_all(b"221 Bye\r\n").await.unwrap();
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, received)
}

fn mail(to: &str, subject: &str) -> NewMail {
    NewMail {
        to_addr: to.into(),
        to_name: Some("Ada Lovelace".into()),
        subject: subject.into(),
        body_text: "Bonjour Ada,\n\nÇa marche.\n".into(),
        body_html: None,
        ics: None,
    }
}

fn config(smtp: Option<String>, dir: std::path::PathBuf) -> MailConfig {
    MailConfig {
        smtp_url: smtp,
        dir,
        from: "Maillage <no-reply@example.org>".into(),
    }
}

#[tokio::test]
async fn smtp_delivery_and_failures() {
    let db = TestDb::new().await;
    let (port, received) = smtp_sink().await;
    let tx = db.write().await.unwrap();
    let ok = outbox::enqueue(&tx, mail("ada@example.org", "Réinitialisation"), now())
        .await
        .unwrap();
    let refused = outbox::enqueue(&tx, mail("refused@example.org", "Nope"), now())
        .await
        .unwrap();
    let later = outbox::enqueue(&tx, mail("later@example.org", "Later"), now())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let worker = Worker::new(
        db.db.clone(),
        &config(Some(format!("smtp://127.0.0.1:{port}")), dir.path().into()),
    )
    .unwrap();
    assert_eq!(worker.deliver_due().await.unwrap(), 3);

    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("Subject: =?utf-8?"), "{}", got[0]);
    assert!(got[0].contains(&format!("Message-ID: <maillage-outbox-{ok}@example.org>")));

    let sent = outbox::find(db.conn(), ok).await.unwrap().unwrap();
    assert_eq!(sent.status, Status::Sent);
    let refused = outbox::find(db.conn(), refused).await.unwrap().unwrap();
    assert_eq!(refused.status, Status::Failed, "a 550 is not retried");
    assert!(refused.last_error.unwrap().contains("No such user"));
    let later = outbox::find(db.conn(), later).await.unwrap().unwrap();
    assert_eq!(later.status, Status::Pending, "a 451 is retried");
    assert_eq!(later.attempts, 1);
    assert!(later.next_attempt_at > now());
    // Nothing is due now: the retry waits for its backoff.
    assert_eq!(worker.deliver_due().await.unwrap(), 0);
    assert!(
        std::fs::read_dir(dir.path())
            .map(|d| d.count())
            .unwrap_or(0)
            == 0
    );
}

#[tokio::test]
async fn file_outbox_writes_eml_files() {
    let db = TestDb::new().await;
    let id = outbox::enqueue(db.conn(), mail("ada@example.org", "Invitation"), now())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let outdir = dir.path().join("mail-outbox");
    let worker = Worker::new(db.db.clone(), &config(None, outdir.clone())).unwrap();
    assert_eq!(worker.deliver_due().await.unwrap(), 1);
    let files: Vec<_> = std::fs::read_dir(&outdir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    assert!(files[0].extension().unwrap() == "eml");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        text.contains("To: \"Ada Lovelace\" <ada@example.org>"),
        "{text}"
    );
    assert!(text.contains("From: Maillage <no-reply@example.org>"));
    assert_eq!(
        outbox::find(db.conn(), id).await.unwrap().unwrap().status,
        Status::Sent
    );
}

#[tokio::test]
async fn calendar_attachment_goes_with_the_message() {
    let db = TestDb::new().await;
    let mut m = mail("ada@example.org", "Réservation confirmée");
    m.ics = Some("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n".into());
    outbox::enqueue(db.conn(), m, now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let worker = Worker::new(db.db.clone(), &config(None, dir.path().into())).unwrap();
    assert_eq!(worker.deliver_due().await.unwrap(), 1);
    let file = std::fs::read_dir(dir.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let text = std::fs::read_to_string(file.path()).unwrap();
    assert!(text.contains("multipart/mixed"), "{text}");
    assert!(text.contains("Content-Type: text/calendar"), "{text}");
    assert!(text.contains("filename=\"invite.ics\""), "{text}");
    assert!(text.contains("BEGIN:VCALENDAR"), "{text}");
}

/// Two workers (two instances) on one database: each message goes out once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_send_each_message_once() {
    let db = TestDb::new().await;
    let (port, received) = smtp_sink().await;
    let tx = db.write().await.unwrap();
    for i in 0..45 {
        outbox::enqueue(
            &tx,
            mail(&format!("p{i}@example.org"), &format!("n{i}")),
            now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(Some(format!("smtp://127.0.0.1:{port}")), dir.path().into());
    let a = Worker::new(db.db.clone(), &cfg).unwrap();
    let b = Worker::new(db.db.clone(), &cfg).unwrap();
    let run = |w: Worker| {
        tokio::spawn(async move {
            let mut total = 0;
            loop {
                let n = w.deliver_due().await.unwrap();
                if n == 0 {
                    break total;
                }
                total += n;
            }
        })
    };
    let (x, y) = (run(a), run(b));
    let claimed = x.await.unwrap() + y.await.unwrap();
    assert_eq!(claimed, 45);
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 45);
    let mut ids: Vec<_> = got
        .iter()
        .filter_map(|m| {
            m.lines()
                .find(|l| l.starts_with("Message-ID:"))
                .map(str::to_owned)
        })
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 45, "a message went out twice");
    let sent = outbox::list(
        db.conn(),
        Some(outbox::Status::Sent),
        PageRequest::new(1, 100),
    )
    .await
    .unwrap();
    assert_eq!(sent.total, 45);
}
