//! The HTTP client the bench talks to the server with.

use anyhow::{Context, bail, ensure};
use serde_json::{Value, json};
use switchboard_domain::CompanyId;

pub(crate) struct Http {
    base: String,
    client: reqwest::Client,
}

impl Http {
    pub(crate) fn new(base: String) -> Self {
        // reqwest is built without a default TLS crypto provider; a client cannot be built
        // before one is installed (a second install is a harmless error).
        let _ = rustls::crypto::ring::default_provider().install_default();
        Self { base, client: reqwest::Client::new() }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> anyhow::Result<Value> {
        let response = request.send().await?;
        let status = response.status();
        let body: Value = response.json().await?;
        if !status.is_success() || body["success"] != json!(true) {
            bail!("{status}: {body}");
        }
        Ok(body["data"].clone())
    }

    pub(crate) async fn register(&self) -> anyhow::Result<(String, String)> {
        let body = json!({
            "companyName": "Bench Bank",
            "companyEmail": "contact@bench.example.com",
            "adminName": "Bench Admin",
            "adminEmail": "admin@bench.example.com",
            "adminPassword": "correct horse battery",
        });
        let data = self.send(self.client.post(self.url("/api/auth/register")).json(&body)).await?;
        let token = data["token"].as_str().context("a token")?.to_owned();
        let company = data["companyId"].as_str().context("a company id")?.to_owned();
        Ok((token, company))
    }

    pub(crate) async fn admin_post(
        &self,
        token: &str,
        path: &str,
        body: &Value,
    ) -> anyhow::Result<Value> {
        self.send(self.client.post(self.url(path)).bearer_auth(token).json(body)).await
    }

    pub(crate) async fn admin_get(&self, token: &str, path: &str) -> anyhow::Result<Value> {
        self.send(self.client.get(self.url(path)).bearer_auth(token)).await
    }

    pub(crate) async fn chat(
        &self,
        company: CompanyId,
        message: &str,
        session: Option<&str>,
    ) -> anyhow::Result<Value> {
        let mut body = json!({"companyId": company.to_string(), "message": message});
        if let Some(session) = session {
            body["sessionId"] = json!(session);
        }
        self.send(self.client.post(self.url("/api/chat")).json(&body)).await
    }

    pub(crate) async fn health(&self) -> anyhow::Result<()> {
        let response = self.client.get(self.url("/health")).send().await?;
        ensure!(response.status().is_success(), "/health answered {}", response.status());
        std::hint::black_box(response.bytes().await?);
        Ok(())
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}
