//! Write use-cases: initialise a collection, stage and publish changes (notary's changelist),
//! sign tags with Docker's role rules, manage signers, revoke. Keys come from the shared key
//! store; passphrases from the environment or a prompt.

use std::collections::HashMap;

use crate::error::Result;
use crate::keys::passphrase::Retriever;
use crate::keys::private::PrivateKey;
use crate::keys::store::{Ask, KeyStore, unlock};
use crate::tuf::edit::KeyProvider;

/// Private keys from the key store, unlocked once per run.
pub struct StoreKeys {
    store: KeyStore,
    retriever: Retriever,
    unlocked: HashMap<String, PrivateKey>,
}

impl StoreKeys {
    pub fn new(store: KeyStore, retriever: Retriever) -> Self {
        StoreKeys {
            store,
            retriever,
            unlocked: HashMap::new(),
        }
    }

    /// Whether the store holds key `id` (without unlocking it).
    pub fn has(&self, id: &str) -> bool {
        matches!(self.store.get(id), Ok(Some(_)))
    }

    pub fn store(&self) -> &KeyStore {
        &self.store
    }

    pub fn retriever(&mut self) -> &mut Retriever {
        &mut self.retriever
    }
}

impl KeyProvider for StoreKeys {
    fn private_key(&mut self, _role: &str, id: &str) -> Result<Option<&PrivateKey>> {
        if !self.unlocked.contains_key(id) {
            let Some(stored) = self.store.get(id)? else {
                return Ok(None);
            };
            // The key file's own role header picks the passphrase (root, targets, or a signer
            // name → the repository passphrase), as in Docker.
            let key = unlock(
                &stored.block,
                &stored.role,
                id,
                &stored.path,
                &mut self.retriever,
                Ask::default(),
            )?;
            self.unlocked.insert(id.to_string(), key);
        }
        Ok(self.unlocked.get(id))
    }
}
