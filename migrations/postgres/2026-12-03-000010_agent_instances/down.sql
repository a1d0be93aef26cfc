DROP TABLE agent_instances;
