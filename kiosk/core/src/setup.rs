//! A validated catalog and terminal configuration, with the search index of the matters
//! this terminal offers. Built once at start and shared read-only.

use crate::catalog::{Catalog, Category, Matter, MatterId};
use crate::config_error::ConfigErrors;
use crate::search::SearchKey;
use crate::terminal::TerminalConfig;

/// Everything the session needs to know about this terminal and its county.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The county catalog.
    pub catalog: Catalog,
    /// This terminal's configuration.
    pub terminal: TerminalConfig,
    index: Vec<(MatterId, Vec<SearchKey>)>,
}

impl Setup {
    /// Parses and cross-checks both files. `*_file` name them in errors.
    pub fn parse(
        kiosk_text: &str,
        kiosk_file: &str,
        catalog_text: &str,
        catalog_file: &str,
    ) -> Result<Setup, ConfigErrors> {
        let parsed = TerminalConfig::parse(kiosk_text, kiosk_file);
        let catalog = Catalog::parse(catalog_text, catalog_file);
        let (parsed, catalog) = match (parsed, catalog) {
            (Ok(p), Ok(c)) => (p, c),
            (p, c) => {
                let mut all = Vec::new();
                if let Err(e) = p {
                    all.extend(e.0);
                }
                if let Err(e) = c {
                    all.extend(e.0);
                }
                return Err(ConfigErrors(all));
            }
        };
        let terminal = parsed.resolve(&catalog)?;
        Ok(Setup::new(catalog, terminal))
    }

    /// Builds the search index for an already validated pair, adding the terminal's own
    /// functions (办件进度查询), which every terminal offers.
    pub fn new(catalog: Catalog, mut terminal: TerminalConfig) -> Setup {
        let catalog = catalog.with_terminal_functions(&terminal.hotline, &terminal.name);
        if let Some(id) = catalog.progress_matter_id()
            && !terminal.offered.contains(id)
        {
            terminal.offered.push(id.clone());
        }
        let index = terminal
            .offered
            .iter()
            .filter_map(|id| catalog.get(id))
            .map(|m| {
                let mut keys = vec![SearchKey::new(&m.name)];
                keys.extend(m.aliases.iter().map(|a| SearchKey::new(a)));
                (m.id.clone(), keys)
            })
            .collect();
        Setup {
            catalog,
            terminal,
            index,
        }
    }

    /// The offered matter with this id (None if the catalog lacks it or this terminal
    /// does not offer it).
    pub fn offered(&self, id: &MatterId) -> Option<&Matter> {
        if self.terminal.offered.contains(id) {
            self.catalog.get(id)
        } else {
            None
        }
    }

    /// Offered matters of a category, in catalog order.
    pub fn in_category(&self, category: Category) -> Vec<&Matter> {
        self.terminal
            .offered
            .iter()
            .filter_map(|id| self.catalog.get(id))
            .filter(|m| m.category == category)
            .collect()
    }

    /// Offered matters matching a search query (pinyin initials, pinyin or Chinese);
    /// self-service matters first.
    pub fn search(&self, query: &str) -> Vec<&Matter> {
        let mut found: Vec<&Matter> = self
            .index
            .iter()
            .filter(|(_, keys)| keys.iter().any(|k| k.matches(query)))
            .filter_map(|(id, _)| self.catalog.get(id))
            .collect();
        found.sort_by_key(|m| m.service.is_none());
        found
    }

    /// The hot matters for the attract and home screens.
    pub fn hot(&self) -> Vec<&Matter> {
        self.terminal
            .hot
            .iter()
            .filter_map(|id| self.catalog.get(id))
            .collect()
    }
}
